// API key lifecycle: create (secret shown once), list, revoke (effective on the next request),
// rotate (new secret, old one honoured for a grace period). Each change with its audit event, and
// applied to the in-memory index as soon as it commits.
import type { Sequelize } from 'sequelize';
import { Op, type WhereOptions } from 'sequelize';
import { ApiKey, type KeyScope } from '../models/api-key';
import { RequestInvalid, ResourceNotFound } from '../errors';
import type { ChangeAnnouncer } from '../db/change-bus';
import { runWriteTransaction } from '../db/write-transaction';
import { appendAuditEvent } from '../audit/record';
import type { Actor } from '../audit/actor';
import type { SettingsStore } from '../settings/settings';
import type { ApiKeyHasher } from './api-key-hasher';
import type { ApiKeyIndex } from './api-key-index';
import { formatApiKey, generateKeyId } from './api-key-format';
import { toApiKeyView, type ApiKeyView } from './api-key-view';
import { scopesForRole } from './principal';
import type { CreateKeyForOwnerInput } from './api-key-schemas';

export interface ApiKeysDeps {
  sequelize: Sequelize;
  settings: SettingsStore;
  keyHasher: ApiKeyHasher;
  keyIndex: ApiKeyIndex;
  changeBus: ChangeAnnouncer;
}

export interface IssuedKey extends ApiKeyView {
  /** The full key. Returned here and never again. */
  key: string;
}

const DAY = 24 * 3600 * 1000;

function resolveExpiry(requested: string | null | undefined, maxDays: number | null, now: number): Date | null {
  const max = maxDays === null ? null : now + maxDays * DAY;
  if (requested === undefined || requested === null) return max === null ? null : new Date(max);
  const at = Date.parse(requested);
  if (at <= now) throw new RequestInvalid('expiresAt: must be in the future', 'expiresAt');
  if (max !== null && at > max) throw new RequestInvalid(`expiresAt: keys may live at most ${maxDays} days`, 'expiresAt');
  return new Date(at);
}

function resolveScopes(requested: KeyScope[] | undefined, ownerRole: string): KeyScope[] {
  const scopes = [...new Set(requested ?? ['read', 'write'])] as KeyScope[];
  const allowed = scopesForRole(ownerRole);
  const refused = scopes.find((scope) => !allowed.includes(scope));
  if (refused) throw new RequestInvalid(`scopes: a ${ownerRole} cannot hold the ${refused} scope`, 'scopes');
  return scopes;
}

export async function createApiKey(deps: ApiKeysDeps, actor: Actor, input: Omit<CreateKeyForOwnerInput, 'ownerDid' | 'ownerRole'> & { ownerDid: string; ownerRole: string }): Promise<IssuedKey> {
  const now = Date.now();
  const scopes = resolveScopes(input.scopes, input.ownerRole);
  const expiresAt = resolveExpiry(input.expiresAt, deps.settings.current.maxKeyLifetimeDays, now);
  const id = generateKeyId();
  const key = formatApiKey(id);
  const row = await runWriteTransaction(deps.sequelize, async (tx) => {
    const created = await ApiKey.create(
      {
        id, hash: deps.keyHasher.hash(key), prevHash: null, prevHashExpiresAt: null, ownerDid: input.ownerDid, ownerRole: input.ownerRole,
        name: input.name, clientId: input.clientId ?? null, scopes, models: input.models ?? [], rpm: input.rpm ?? null, tpm: input.tpm ?? null,
        budget: input.budget ?? null, expiresAt, revokedAt: null, lastUsedAt: null, lastUsedIp: null, createdBy: actor.did,
      },
      { transaction: tx },
    );
    await appendAuditEvent(tx, actor, { action: 'api_key.created', targetType: 'api_key', targetId: id, after: toApiKeyView(created) });
    return created;
  });
  // Applied only once committed: the index never holds a key the database does not.
  deps.keyIndex.applyRow(row);
  deps.changeBus.announce('api_keys');
  return { ...toApiKeyView(row), key };
}

export async function listApiKeys(filter: { ownerDid?: string; includeRevoked?: boolean; limit: number; offset: number }): Promise<{ data: ApiKeyView[]; total: number }> {
  const where: WhereOptions<ApiKey> = {};
  if (filter.ownerDid) Object.assign(where, { ownerDid: filter.ownerDid });
  if (!filter.includeRevoked) Object.assign(where, { revokedAt: { [Op.is]: null } });
  const { rows, count } = await ApiKey.findAndCountAll({ where, order: [['createdAt', 'DESC']], limit: filter.limit, offset: filter.offset });
  return { data: rows.map(toApiKeyView), total: count };
}

/** A key, seen only by its owner when ownerDid is given: another owner's key is "not found". */
export async function findApiKey(id: string, ownerDid?: string): Promise<ApiKey> {
  const row = await ApiKey.findByPk(id);
  if (!row || (ownerDid !== undefined && row.ownerDid !== ownerDid)) throw new ResourceNotFound('API key');
  return row;
}

export async function revokeApiKey(deps: ApiKeysDeps, actor: Actor, id: string, ownerDid?: string): Promise<ApiKeyView> {
  const row = await runWriteTransaction(deps.sequelize, async (tx) => {
    const found = await ApiKey.findByPk(id, { transaction: tx });
    if (!found || (ownerDid !== undefined && found.ownerDid !== ownerDid)) throw new ResourceNotFound('API key');
    const before = toApiKeyView(found);
    if (!found.revokedAt) await found.update({ revokedAt: new Date() }, { transaction: tx });
    await appendAuditEvent(tx, actor, { action: 'api_key.revoked', targetType: 'api_key', targetId: id, before, after: toApiKeyView(found) });
    return found;
  });
  deps.keyIndex.applyRow(row);
  deps.changeBus.announce('api_keys');
  return toApiKeyView(row);
}

export async function rotateApiKey(deps: ApiKeysDeps, actor: Actor, id: string, options: { ownerDid?: string; graceHours?: number }): Promise<IssuedKey> {
  const graceMs = (options.graceHours ?? deps.settings.current.keyRotationGraceHours) * 3600 * 1000;
  const key = formatApiKey(id);
  const row = await runWriteTransaction(deps.sequelize, async (tx) => {
    const found = await ApiKey.findByPk(id, { transaction: tx });
    if (!found || (options.ownerDid !== undefined && found.ownerDid !== options.ownerDid)) throw new ResourceNotFound('API key');
    if (found.revokedAt) throw new RequestInvalid('id: a revoked key cannot be rotated', 'id');
    const before = toApiKeyView(found);
    await found.update(
      { hash: deps.keyHasher.hash(key), prevHash: graceMs > 0 ? found.hash : null, prevHashExpiresAt: graceMs > 0 ? new Date(Date.now() + graceMs) : null },
      { transaction: tx },
    );
    await appendAuditEvent(tx, actor, { action: 'api_key.rotated', targetType: 'api_key', targetId: id, before, after: toApiKeyView(found) });
    return found;
  });
  deps.keyIndex.applyRow(row);
  deps.changeBus.announce('api_keys');
  return { ...toApiKeyView(row), key };
}
