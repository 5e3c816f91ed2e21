// Provider account changes, each written with its audit event in one transaction.
import crypto from 'node:crypto';
import { UniqueConstraintError, type Sequelize } from 'sequelize';
import { ProviderAccount } from '../models/provider-account';
import { Credential } from '../models/credential';
import { RequestInvalid, ResourceNotFound } from '../errors';
import { runWriteTransaction } from '../db/write-transaction';
import { appendAuditEvent } from '../audit/record';
import type { Actor } from '../audit/actor';
import type { Vault } from '../vault/vault';
import { DEFAULT_AZURE_API_VERSION } from './provider-types';
import type { CreateAccountInput, UpdateAccountInput } from './schemas';
import { toAccountView, toCredentialView, type AccountView } from './views';

export interface AccountsDeps {
  sequelize: Sequelize;
  vault: Vault;
}

function duplicateName(err: unknown): never {
  if (err instanceof UniqueConstraintError) throw new RequestInvalid('name: an account with this name already exists', 'name');
  throw err;
}

export async function listAccounts(): Promise<AccountView[]> {
  return (await ProviderAccount.findAll({ order: [['name', 'ASC']] })).map(toAccountView);
}

export async function findAccount(id: string): Promise<ProviderAccount> {
  const row = await ProviderAccount.findByPk(id);
  if (!row) throw new ResourceNotFound('Account');
  return row;
}

export async function createAccount(deps: AccountsDeps, actor: Actor, input: CreateAccountInput): Promise<AccountView> {
  return runWriteTransaction(deps.sequelize, async (tx) => {
    if (await ProviderAccount.findOne({ where: { name: input.name }, transaction: tx })) duplicateName(new UniqueConstraintError({}));
    const row = await ProviderAccount.create(
      {
        id: crypto.randomUUID(),
        name: input.name,
        type: input.type,
        baseUrl: input.baseUrl ?? null,
        region: input.region ?? null,
        apiVersion: input.apiVersion ?? (input.type === 'azure-openai' ? DEFAULT_AZURE_API_VERSION : null),
        enabled: input.enabled ?? true,
        enabledModels: input.enabledModels ?? [],
        modelAliases: input.modelAliases ?? {},
        weight: input.weight ?? 1,
        timeoutMs: input.timeoutMs ?? null,
        limits: input.limits ?? null,
      },
      { transaction: tx },
    ).catch(duplicateName);
    const view = toAccountView(row);
    await appendAuditEvent(tx, actor, { action: 'account.created', targetType: 'account', targetId: row.id, after: view });
    return view;
  });
}

export async function updateAccount(deps: AccountsDeps, actor: Actor, id: string, input: UpdateAccountInput): Promise<AccountView> {
  return runWriteTransaction(deps.sequelize, async (tx) => {
    const row = await ProviderAccount.findByPk(id, { transaction: tx });
    if (!row) throw new ResourceNotFound('Account');
    const before = toAccountView(row);
    if (input.name && input.name !== row.name && (await ProviderAccount.findOne({ where: { name: input.name }, transaction: tx }))) {
      duplicateName(new UniqueConstraintError({}));
    }
    await row.update(input, { transaction: tx }).catch(duplicateName);
    const after = toAccountView(row);
    await appendAuditEvent(tx, actor, { action: 'account.updated', targetType: 'account', targetId: id, before, after });
    return after;
  });
}

export async function deleteAccount(deps: AccountsDeps, actor: Actor, id: string): Promise<void> {
  await runWriteTransaction(deps.sequelize, async (tx) => {
    const row = await ProviderAccount.findByPk(id, { transaction: tx });
    if (!row) throw new ResourceNotFound('Account');
    const credentials = await Credential.findAll({ where: { accountId: id }, transaction: tx });
    for (const credential of credentials) {
      await appendAuditEvent(tx, actor, {
        action: 'credential.deleted',
        targetType: 'credential',
        targetId: credential.id,
        before: toCredentialView(credential, deps.vault),
      });
      await credential.destroy({ transaction: tx });
      deps.vault.forget(credential.id);
    }
    await appendAuditEvent(tx, actor, { action: 'account.deleted', targetType: 'account', targetId: id, before: toAccountView(row) });
    await row.destroy({ transaction: tx });
  });
}
