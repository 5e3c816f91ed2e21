import { startTestApp, type TestApp } from '@tests/fixtures/test-app';
import { AuditEvent, Credential, ProviderAccount } from '@api/models';

let app: TestApp;
let accountId: string;
beforeAll(async () => {
  app = await startTestApp();
  const created = await app.call('POST', '/api/admin/accounts', { role: 'owner', body: { name: 'existing', type: 'openai' } });
  accountId = created.json.id;
  await app.call('POST', `/api/admin/accounts/${accountId}/credentials`, { role: 'owner', body: { name: 'main', type: 'api_key', value: { api_key: 'sk-existing-0123456789' } } });
});
afterAll(() => app.close());

async function snapshot() {
  return { accounts: await ProviderAccount.count(), credentials: await Credential.count(), audits: await AuditEvent.count() };
}

const MB = 'x'.repeat(1024 * 1024);

describe('account input validation', () => {
  it.each([
    ['an unknown account type', { name: 'a1', type: 'cohere' }, 'type'],
    ['a missing name', { type: 'openai' }, 'name'],
    ['a name that is not a slug', { name: 'My Account', type: 'openai' }, 'name'],
    ['a wrong-typed enabled', { name: 'a2', type: 'openai', enabled: 'yes' }, 'enabled'],
    ['a wrong-typed enabledModels', { name: 'a3', type: 'openai', enabledModels: 'gpt-4o' }, 'enabledModels'],
    ['a base URL that is not http(s)', { name: 'a4', type: 'openai-compatible', baseUrl: 'file:///etc/passwd' }, 'baseUrl'],
    ['azure without a base URL', { name: 'a5', type: 'azure-openai' }, 'baseUrl'],
    ['bedrock without a region', { name: 'a6', type: 'aws-bedrock' }, 'region'],
    ['an unknown field', { name: 'a7', type: 'openai', owner: 'me' }, 'owner'],
    ['a 1 MB name', { name: MB, type: 'openai' }, 'name'],
    ['a duplicate name', { name: 'existing', type: 'anthropic' }, 'name'],
  ])('rejects %s with 400 naming the field, writing nothing', async (_name, body, param) => {
    const before = await snapshot();
    const res = await app.call('POST', '/api/admin/accounts', { role: 'owner', body });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ type: 'invalid_request_error', code: 'ERR_VALIDATION', param });
    expect(res.json.error.message).toContain(param);
    expect(await snapshot()).toEqual(before);
  });

  it('rejects malformed JSON with 400 and a body over the limit with 413', async () => {
    const malformed = await app.call('POST', '/api/admin/accounts', { role: 'owner', body: '{"name":' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.param).toBe('body');
    const huge = await app.call('POST', '/api/admin/accounts', { role: 'owner', body: { name: 'x'.repeat(5 * 1024 * 1024), type: 'openai' } });
    expect(huge.status).toBe(413);
    expect(huge.json.error.code).toBe('ERR_BODY_TOO_LARGE');
  });
});

describe('credential input validation', () => {
  it.each([
    ['an unknown credential type', { name: 'c1', type: 'password', value: { api_key: 'sk-0123456789abc' } }, 'type'],
    ['no value and no ref', { name: 'c2', type: 'api_key' }, 'value'],
    ['a missing api_key', { name: 'c3', type: 'api_key', value: {} }, 'value.api_key'],
    ['a field that is not the type\'s', { name: 'c4', type: 'api_key', value: { api_key: 'sk-0123456789abc', extra: 'x' } }, 'value.extra'],
    ['a wrong-typed value', { name: 'c5', type: 'api_key', value: { api_key: 12345 } }, 'value.api_key'],
    ['a 1 MB secret value', { name: 'c6', type: 'api_key', value: { api_key: MB } }, 'value.api_key'],
    ['an empty secret value', { name: 'c7', type: 'api_key', value: { api_key: '' } }, 'value.api_key'],
    ['a key pair without access_key_id', { name: 'c8', type: 'access_key_pair', value: { secret_access_key: 'abcdefghijklmnop' } }, 'value.access_key_id'],
    ['a malformed secret reference', { name: 'c9', type: 'api_key', ref: 'file:/etc/shadow' }, 'ref'],
    ['a field given as value and ref', { name: 'c10', type: 'custom', value: { token: 'abcdefghijklmnop' }, ref: { token: 'env:TOKEN' } }, 'ref.token'],
    ['a wrong-typed weight', { name: 'c11', type: 'api_key', value: { api_key: 'sk-0123456789abc' }, weight: -1 }, 'weight'],
    ['a duplicate name', { name: 'main', type: 'api_key', value: { api_key: 'sk-0123456789abc' } }, 'name'],
  ])('rejects %s with 400 naming the field, writing nothing', async (_name, body, param) => {
    const before = await snapshot();
    const res = await app.call('POST', `/api/admin/accounts/${accountId}/credentials`, { role: 'owner', body });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'ERR_VALIDATION', param });
    expect(await snapshot()).toEqual(before);
    // The rejected value is never echoed back.
    const value = (body as { value?: Record<string, unknown> }).value;
    if (typeof value?.api_key === 'string' && value.api_key.length > 8) expect(res.text).not.toContain(value.api_key);
  });

  it('answers 404 for a credential of an account that does not exist, writing nothing', async () => {
    const before = await snapshot();
    const res = await app.call('POST', '/api/admin/accounts/no-such-account/credentials', { role: 'owner', body: { name: 'c', type: 'api_key', value: { api_key: 'sk-0123456789abc' } } });
    expect(res.status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });
});
