import { startTestApp, type TestApp } from '@tests/fixtures/test-app';
import { AuditEvent, Credential } from '@api/models';
import { sealEncRef } from '@api/vault/secret-ref';

let app: TestApp;
let accountId: string;
const apiKey = 'sk-proj-AAAA0123456789abcdefghijZZZZ';
// The documented rule, written out here rather than imported, so the test checks the implementation.
const masked = (v: string) => `${v.slice(0, 4)}${'*'.repeat(v.length - 8)}${v.slice(-4)}`;
const base = () => `/api/admin/accounts/${accountId}/credentials`;

beforeAll(async () => {
  app = await startTestApp({ env: { KH_TEST_REF_KEY: 'sk-from-env-0123456789abcdef' } });
  accountId = (await app.call('POST', '/api/admin/accounts', { role: 'admin', body: { name: 'openai-main', type: 'openai', enabledModels: ['gpt-4o'] } })).json.id;
});
afterAll(() => app.close());

describe('credentials API', () => {
  let credentialId: string;

  it('creates an api_key credential and shows it masked only', async () => {
    const res = await app.call('POST', base(), { role: 'admin', body: { name: 'primary', type: 'api_key', value: { api_key: apiKey }, weight: 3 } });
    expect(res.status).toBe(201);
    credentialId = res.json.id;
    expect(res.json).toMatchObject({ name: 'primary', type: 'api_key', weight: 3, enabled: true, status: 'active', keyVersion: 1 });
    expect(res.json.secrets).toEqual({ api_key: { source: 'stored', masked: masked(apiKey) } });
    expect(res.text).not.toContain(apiKey);
    expect(res.text).not.toContain('kh1.');
    const list = await app.call('GET', base(), { role: 'admin' });
    expect(list.json.data).toHaveLength(1);
    expect(list.text).not.toContain(apiKey);
    expect(list.text).not.toContain('kh1.');
  });

  it('keeps access_key_id in plaintext and encrypts secret_access_key', async () => {
    const res = await app.call('POST', base(), {
      role: 'admin',
      body: { name: 'aws', type: 'access_key_pair', value: { access_key_id: 'AKIAIOSFODNN7EXAMPLE', secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } },
    });
    expect(res.status).toBe(201);
    expect(res.json.publicFields).toEqual({ access_key_id: 'AKIAIOSFODNN7EXAMPLE' });
    expect(res.json.secrets.secret_access_key.masked).toBe('wJal********************************EKEY');
    const row = await Credential.findByPk(res.json.id);
    expect(JSON.stringify(row?.secretFields)).not.toContain('wJalrXUtnFEMI');
    expect(row?.publicFields).toEqual({ access_key_id: 'AKIAIOSFODNN7EXAMPLE' });
  });

  it('stores only sealed ciphertext, which opens to the value', async () => {
    const row = await Credential.findByPk(credentialId);
    expect(row?.secretFields.api_key).toMatch(/^kh1\.1\./);
    expect(app.ctx.vault.openCredential(row!).api_key.reveal()).toBe(apiKey);
  });

  it('replaces a secret with effect on the next use, and audits before/after masked', async () => {
    const row = await Credential.findByPk(credentialId);
    expect(app.ctx.vault.openCredential(row!).api_key.reveal()).toBe(apiKey); // warm the cache
    const replacement = 'sk-proj-BBBB9876543210zyxwvutsrqYYYY';
    const res = await app.call('PATCH', `${base()}/${credentialId}`, { role: 'admin', body: { value: { api_key: replacement } } });
    expect(res.status).toBe(200);
    expect(res.json.secrets.api_key.masked).toBe(masked(replacement));
    const fresh = await Credential.findByPk(credentialId);
    expect(app.ctx.vault.openCredential(fresh!).api_key.reveal()).toBe(replacement);
    const event = await AuditEvent.findOne({ where: { action: 'credential.secret_replaced', targetId: credentialId } });
    expect(JSON.parse(event!.before!).secrets.api_key.masked).toBe(masked(apiKey));
    expect(JSON.parse(event!.after!).secrets.api_key.masked).toBe(masked(replacement));
    expect(event!.before + event!.after!).not.toContain(replacement);
  });

  it('updates weight and enabled, and deletes', async () => {
    const patched = await app.call('PATCH', `${base()}/${credentialId}`, { role: 'admin', body: { weight: 0, enabled: false } });
    expect(patched.json).toMatchObject({ weight: 0, enabled: false, status: 'disabled' });
    const deleted = await app.call('DELETE', `${base()}/${credentialId}`, { role: 'admin' });
    expect(deleted.status).toBe(204);
    expect((await app.call('GET', `${base()}/${credentialId}`, { role: 'admin' })).status).toBe(404);
    expect(await AuditEvent.count({ where: { targetId: credentialId, action: 'credential.deleted' } })).toBe(1);
  });

  it('holds secret references: env:NAME read at use, enc: sealed with the app key', async () => {
    const sealed = sealEncRef(app.ctx.rootKey, 'sk-sealed-ref-0123456789abcdef');
    const env = await app.call('POST', base(), { role: 'admin', body: { name: 'from-env', type: 'api_key', ref: 'env:KH_TEST_REF_KEY' } });
    const enc = await app.call('POST', base(), { role: 'admin', body: { name: 'from-enc', type: 'api_key', ref: sealed } });
    expect(env.status).toBe(201);
    expect(enc.status).toBe(201);
    expect(env.json.secrets.api_key).toEqual({ source: 'env', ref: 'env:KH_TEST_REF_KEY', masked: 'sk-f********************cdef' });
    expect(enc.json.secrets.api_key).toEqual({ source: 'enc', ref: 'enc:[sealed]', masked: 'sk-s**********************cdef' });
    expect(enc.text).not.toContain(sealed.slice(4));
    const row = await Credential.findByPk(enc.json.id);
    expect(row?.keyVersion).toBeNull();
    expect(app.ctx.vault.openCredential(row!).api_key.reveal()).toBe('sk-sealed-ref-0123456789abcdef');
  });

  it('deletes an account with its credentials, one audit event each', async () => {
    const before = await Credential.count({ where: { accountId } });
    expect(before).toBeGreaterThan(0);
    const res = await app.call('DELETE', `/api/admin/accounts/${accountId}`, { role: 'owner' });
    expect(res.status).toBe(204);
    expect(await Credential.count({ where: { accountId } })).toBe(0);
    expect(await AuditEvent.count({ where: { action: 'account.deleted', targetId: accountId } })).toBe(1);
  });

  it('pages and filters the audit trail, and the chain verifies', async () => {
    const page = await app.call('GET', '/api/admin/audit?action=credential.*&limit=2', { role: 'admin' });
    expect(page.status).toBe(200);
    expect(page.json.data).toHaveLength(2);
    expect(page.json.total).toBeGreaterThan(4);
    expect(page.json.data[0].seq).toBeGreaterThan(page.json.data[1].seq);
    const verify = await app.call('GET', '/api/admin/audit/verify', { role: 'admin' });
    expect(verify.json).toMatchObject({ ok: true });
    const bad = await app.call('GET', '/api/admin/audit?limit=0', { role: 'admin' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.param).toBe('limit');
  });
});
