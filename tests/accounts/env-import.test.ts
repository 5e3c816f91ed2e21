import { startTestApp, type TestApp } from '@tests/fixtures/test-app';
import { AuditEvent, Credential, ProviderAccount } from '@api/models';
import { importEnvCredentials } from '@api/accounts/env-import';
import { SYSTEM_ACTOR } from '@api/audit/actor';

const env = {
  OPENAI_API_KEY: 'sk-env-openai-0123456789abcdef',
  ANTHROPIC_API_KEY: 'sk-ant-env-0123456789abcdef',
  GEMINI_API_KEY: 'AIzaEnvGemini0123456789abcdef',
  AZURE_OPENAI_API_KEY: 'azureenv0123456789abcdef0123',
  AZURE_OPENAI_ENDPOINT: 'https://example-resource.openai.azure.com/',
  AWS_ACCESS_KEY_ID: 'AKIAENVIMPORT0000001',
  AWS_SECRET_ACCESS_KEY: 'envSecretAccessKey/0123456789+abcdef',
  AWS_REGION: 'eu-west-1',
};

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ logLevel: 'info' });
});
afterAll(() => app.close());

describe('migration from plain environment variables', () => {
  it('imports each provider key once, encrypted, with an audit event and a log line to remove it', async () => {
    const first = await importEnvCredentials(app.ctx, SYSTEM_ACTOR, env);
    expect(first.imported.map((i) => i.account).sort()).toEqual(['anthropic', 'aws-bedrock', 'azure-openai', 'google-gemini', 'openai']);
    expect(await Credential.count()).toBe(5);
    const azure = await ProviderAccount.findOne({ where: { name: 'azure-openai' } });
    expect(azure).toMatchObject({ type: 'azure-openai', baseUrl: 'https://example-resource.openai.azure.com' });
    const bedrock = await ProviderAccount.findOne({ where: { name: 'aws-bedrock' } });
    expect(bedrock?.region).toBe('eu-west-1');
    const pair = await Credential.findOne({ where: { accountId: bedrock!.id } });
    expect(pair?.publicFields).toEqual({ access_key_id: 'AKIAENVIMPORT0000001' });
    expect(app.ctx.vault.openCredential(pair!).secret_access_key.reveal()).toBe(env.AWS_SECRET_ACCESS_KEY);
    expect(JSON.stringify(pair?.secretFields)).not.toContain(env.AWS_SECRET_ACCESS_KEY);
    expect(await AuditEvent.count({ where: { action: 'credential.imported_from_env' } })).toBe(5);
    expect(app.logs.join('')).toContain('Imported OPENAI_API_KEY into the vault as openai/env-import. Remove it from the environment.');
  });

  it('imports nothing the second time, even after the imported credential was deleted', async () => {
    const openai = await ProviderAccount.findOne({ where: { name: 'openai' } });
    await Credential.destroy({ where: { accountId: openai!.id } });
    const audits = await AuditEvent.count();
    const second = await importEnvCredentials(app.ctx, SYSTEM_ACTOR, env);
    expect(second.imported).toEqual([]);
    expect(second.alreadyImported).toHaveLength(5);
    expect(await Credential.count()).toBe(4);
    expect(await AuditEvent.count()).toBe(audits);
  });

  it('skips an incomplete pair (AWS without a region, Azure without an endpoint)', async () => {
    const fresh = await startTestApp({ logLevel: 'silent' });
    try {
      const result = await importEnvCredentials(fresh.ctx, SYSTEM_ACTOR, { AWS_ACCESS_KEY_ID: 'AKIA1', AWS_SECRET_ACCESS_KEY: 'abcdefghijklmnop', AZURE_OPENAI_API_KEY: 'abcdefghijklmnop' });
      expect(result).toEqual({ imported: [], alreadyImported: [] });
    } finally {
      await fresh.close();
    }
  });
});
