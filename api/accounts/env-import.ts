// One-time import of provider keys found in plain environment variables into the vault, so an
// install that started with OPENAI_API_KEY & co. ends up with them encrypted. A marker per variable
// in `settings` makes a second run import nothing, even if the admin later deletes the credential.
import crypto from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { ProviderAccount } from '../models/provider-account';
import { Credential, type CredentialType } from '../models/credential';
import { Setting } from '../models/setting';
import { runWriteTransaction } from '../db/write-transaction';
import { appendAuditEvent } from '../audit/record';
import type { Actor } from '../audit/actor';
import type { Vault } from '../vault/vault';
import type { Logger } from '../log';
import { DEFAULT_AZURE_API_VERSION, type ProviderType } from './provider-types';
import { toCredentialView } from './views';

interface EnvSource {
  variable: string;
  accountName: string;
  type: ProviderType;
  read(env: NodeJS.ProcessEnv): { credentialType: CredentialType; publicFields: Record<string, string>; secrets: Record<string, string>; baseUrl?: string; region?: string } | null;
}

const SOURCES: EnvSource[] = [
  { variable: 'OPENAI_API_KEY', accountName: 'openai', type: 'openai', read: (e) => (e.OPENAI_API_KEY ? { credentialType: 'api_key', publicFields: {}, secrets: { api_key: e.OPENAI_API_KEY } } : null) },
  { variable: 'ANTHROPIC_API_KEY', accountName: 'anthropic', type: 'anthropic', read: (e) => (e.ANTHROPIC_API_KEY ? { credentialType: 'api_key', publicFields: {}, secrets: { api_key: e.ANTHROPIC_API_KEY } } : null) },
  { variable: 'GEMINI_API_KEY', accountName: 'google-gemini', type: 'google-gemini', read: (e) => (e.GEMINI_API_KEY ? { credentialType: 'api_key', publicFields: {}, secrets: { api_key: e.GEMINI_API_KEY } } : null) },
  {
    variable: 'AZURE_OPENAI_API_KEY',
    accountName: 'azure-openai',
    type: 'azure-openai',
    read: (e) => (e.AZURE_OPENAI_API_KEY && e.AZURE_OPENAI_ENDPOINT ? { credentialType: 'api_key', publicFields: {}, secrets: { api_key: e.AZURE_OPENAI_API_KEY }, baseUrl: e.AZURE_OPENAI_ENDPOINT.replace(/\/+$/, '') } : null),
  },
  {
    variable: 'AWS_SECRET_ACCESS_KEY',
    accountName: 'aws-bedrock',
    type: 'aws-bedrock',
    read: (e) =>
      e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY && e.AWS_REGION
        ? { credentialType: 'access_key_pair', publicFields: { access_key_id: e.AWS_ACCESS_KEY_ID }, secrets: { secret_access_key: e.AWS_SECRET_ACCESS_KEY }, region: e.AWS_REGION }
        : null,
  },
];

export interface EnvImportResult {
  imported: Array<{ variable: string; account: string; credentialId: string }>;
  alreadyImported: string[];
}

export async function importEnvCredentials(deps: { sequelize: Sequelize; vault: Vault; log: Logger }, actor: Actor, env: NodeJS.ProcessEnv): Promise<EnvImportResult> {
  const result: EnvImportResult = { imported: [], alreadyImported: [] };
  for (const source of SOURCES) {
    const found = source.read(env);
    if (!found) continue;
    const markerKey = `env-import:${source.variable}`;
    const done = await runWriteTransaction(deps.sequelize, async (tx) => {
      if (await Setting.findByPk(markerKey, { transaction: tx })) return null;
      let account = await ProviderAccount.findOne({ where: { name: source.accountName }, transaction: tx });
      if (account && account.type !== source.type) account = await ProviderAccount.findOne({ where: { name: `${source.accountName}-env` }, transaction: tx });
      if (!account) {
        account = await ProviderAccount.create(
          {
            id: crypto.randomUUID(),
            name: (await ProviderAccount.findOne({ where: { name: source.accountName }, transaction: tx })) ? `${source.accountName}-env` : source.accountName,
            type: source.type,
            baseUrl: found.baseUrl ?? null,
            region: found.region ?? null,
            apiVersion: source.type === 'azure-openai' ? DEFAULT_AZURE_API_VERSION : null,
            enabled: true,
            enabledModels: [],
            timeoutMs: null,
          },
          { transaction: tx },
        );
        await appendAuditEvent(tx, actor, { action: 'account.created', targetType: 'account', targetId: account.id, after: { name: account.name, type: account.type, source: 'environment' } });
      }
      const id = crypto.randomUUID();
      const taken = await Credential.findOne({ where: { accountId: account.id, name: 'env-import' }, transaction: tx });
      await deps.vault.keyring.ensureCurrent(tx);
      const sealed = deps.vault.sealCredentialFields(id, found.secrets);
      const row = await Credential.create(
        { id, accountId: account.id, name: taken ? `env-import-${id.slice(0, 8)}` : 'env-import', type: found.credentialType, publicFields: found.publicFields,
          secretFields: sealed.secretFields, secretRefs: {}, keyVersion: sealed.keyVersion, weight: 1, enabled: true, status: 'active',
          lastError: null, lastTestedAt: null, lastUsedAt: null },
        { transaction: tx },
      );
      await appendAuditEvent(tx, actor, { action: 'credential.imported_from_env', targetType: 'credential', targetId: id, after: { ...toCredentialView(row, deps.vault), variable: source.variable } });
      await Setting.create({ key: markerKey, value: { credentialId: id, accountId: account.id, at: new Date().toISOString() } }, { transaction: tx });
      return { variable: source.variable, account: account.name, credentialId: id };
    });
    if (done) {
      result.imported.push(done);
      deps.log.warn({ variable: source.variable, account: done.account }, `Imported ${source.variable} into the vault as ${done.account}/env-import. Remove it from the environment.`);
    } else {
      result.alreadyImported.push(source.variable);
      deps.log.warn({ variable: source.variable }, `${source.variable} is already in the vault. Remove it from the environment.`);
    }
  }
  return result;
}
