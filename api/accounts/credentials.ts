// Credential changes: create, replace the secret (effective on next use), weight/enable, delete,
// and test. Each change and its audit event share one transaction; secrets go only through the vault.
import crypto from 'node:crypto';
import type { Sequelize, Transaction } from 'sequelize';
import { Credential, type CredentialType } from '../models/credential';
import { RequestInvalid, ResourceNotFound } from '../errors';
import { runWriteTransaction } from '../db/write-transaction';
import { appendAuditEvent } from '../audit/record';
import type { Actor } from '../audit/actor';
import type { Vault } from '../vault/vault';
import { findAccount } from './accounts';
import { splitCredentialInput } from './credential-fields';
import type { CreateCredentialInput, UpdateCredentialInput } from './schemas';
import { toCredentialView, type CredentialView } from './views';

export interface CredentialsDeps {
  sequelize: Sequelize;
  vault: Vault;
}

async function assertNameFree(accountId: string, name: string, exceptId: string | null, tx: Transaction): Promise<void> {
  const existing = await Credential.findOne({ where: { accountId, name }, transaction: tx });
  if (existing && existing.id !== exceptId) throw new RequestInvalid('name: this account already has a credential with this name', 'name');
}

export async function listCredentials(deps: CredentialsDeps, accountId: string): Promise<CredentialView[]> {
  await findAccount(accountId);
  const rows = await Credential.findAll({ where: { accountId }, order: [['name', 'ASC']] });
  await deps.vault.keyring.ensureVersions(rows.map((r) => r.keyVersion));
  return rows.map((row) => toCredentialView(row, deps.vault));
}

/** One credential of one account, with the keyring caught up to the key version it names. */
export async function findCredential(deps: CredentialsDeps, accountId: string, id: string): Promise<Credential> {
  const row = await Credential.findOne({ where: { id, accountId } });
  if (!row) throw new ResourceNotFound('Credential');
  await deps.vault.keyring.ensureVersions([row.keyVersion]);
  return row;
}

export async function createCredential(deps: CredentialsDeps, actor: Actor, accountId: string, input: CreateCredentialInput): Promise<CredentialView> {
  const parts = splitCredentialInput(input.type as CredentialType, input.value, input.ref);
  await findAccount(accountId);
  return runWriteTransaction(deps.sequelize, async (tx) => {
    await assertNameFree(accountId, input.name, null, tx);
    await deps.vault.keyring.ensureCurrent(tx);
    const id = crypto.randomUUID();
    const sealed = deps.vault.sealCredentialFields(id, parts.secretValues);
    const row = await Credential.create(
      {
        id,
        accountId,
        name: input.name,
        type: input.type,
        publicFields: parts.publicFields,
        secretFields: sealed.secretFields,
        secretRefs: parts.secretRefs,
        keyVersion: sealed.keyVersion,
        weight: input.weight ?? 1,
        enabled: input.enabled ?? true,
        status: input.enabled === false ? 'disabled' : 'active',
        lastError: null,
        lastTestedAt: null,
        lastUsedAt: null,
      },
      { transaction: tx },
    );
    const view = toCredentialView(row, deps.vault);
    await appendAuditEvent(tx, actor, { action: 'credential.created', targetType: 'credential', targetId: id, after: view });
    return view;
  });
}

export async function updateCredential(deps: CredentialsDeps, actor: Actor, accountId: string, id: string, input: UpdateCredentialInput): Promise<CredentialView> {
  const current = await findCredential(deps, accountId, id);
  const replacing = input.value !== undefined || input.ref !== undefined;
  const parts = replacing ? splitCredentialInput(current.type, input.value, input.ref) : null;
  return runWriteTransaction(deps.sequelize, async (tx) => {
    const row = await Credential.findOne({ where: { id, accountId }, transaction: tx });
    if (!row) throw new ResourceNotFound('Credential');
    if (input.name && input.name !== row.name) await assertNameFree(accountId, input.name, id, tx);
    const before = toCredentialView(row, deps.vault);
    const changes: Partial<Credential> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.weight !== undefined) changes.weight = input.weight;
    if (input.enabled !== undefined) {
      changes.enabled = input.enabled;
      changes.status = input.enabled ? 'active' : 'disabled';
    }
    if (parts) {
      await deps.vault.keyring.ensureCurrent(tx);
      const sealed = deps.vault.sealCredentialFields(id, parts.secretValues);
      Object.assign(changes, { publicFields: parts.publicFields, secretRefs: parts.secretRefs, ...sealed, lastError: null });
      if (row.enabled) changes.status = 'active';
    }
    await row.update(changes, { transaction: tx });
    deps.vault.forget(id);
    const after = toCredentialView(row, deps.vault);
    const action = parts ? 'credential.secret_replaced' : 'credential.updated';
    await appendAuditEvent(tx, actor, { action, targetType: 'credential', targetId: id, before, after });
    return after;
  });
}

export async function deleteCredential(deps: CredentialsDeps, actor: Actor, accountId: string, id: string): Promise<void> {
  await runWriteTransaction(deps.sequelize, async (tx) => {
    const row = await Credential.findOne({ where: { id, accountId }, transaction: tx });
    if (!row) throw new ResourceNotFound('Credential');
    await appendAuditEvent(tx, actor, { action: 'credential.deleted', targetType: 'credential', targetId: id, before: toCredentialView(row, deps.vault) });
    await row.destroy({ transaction: tx });
    deps.vault.forget(id);
  });
}

export interface CredentialTestResult {
  ok: boolean;
  status: number | null;
  latencyMs: number;
  models?: number;
  error?: string;
}

/** Record the outcome of a connection test (status, scrubbed last error) with its audit event. */
export async function recordCredentialTest(deps: CredentialsDeps, actor: Actor, accountId: string, id: string, result: CredentialTestResult): Promise<CredentialView> {
  return runWriteTransaction(deps.sequelize, async (tx) => {
    const row = await Credential.findOne({ where: { id, accountId }, transaction: tx });
    if (!row) throw new ResourceNotFound('Credential');
    const changes: Partial<Credential> = { lastTestedAt: new Date(), lastError: result.ok ? null : (result.error ?? 'failed').slice(0, 500) };
    if (row.enabled) changes.status = result.ok ? 'active' : 'error';
    await row.update(changes, { transaction: tx });
    await appendAuditEvent(tx, actor, {
      action: 'credential.tested',
      targetType: 'credential',
      targetId: id,
      after: { ok: result.ok, status: result.status, error: changes.lastError },
    });
    return toCredentialView(row, deps.vault);
  });
}
