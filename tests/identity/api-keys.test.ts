// The API key endpoints as members and admins use them, and what is stored.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startTestApp, type TestApp } from '@tests/fixtures/test-app';
import { ApiKey, AuditEvent } from '@api/models';
import { principalOfKey } from '@api/identity/identify';
import { verifyApiKey } from '@api/identity/verify-api-key';

let app: TestApp;
const member = (did = 'z-alice') => ({ authorization: `Bearer ${app.tokenFor('member', did)}` });

beforeAll(async () => {
  app = await startTestApp({ logLevel: 'silent' });
});
afterAll(() => app.close());

describe('member keys', () => {
  it('shows the full key exactly once, at creation, and stores only its HMAC', async () => {
    const created = await app.call('POST', '/api/me/keys', { headers: member(), body: { name: 'laptop', models: ['openai-main/*'], rpm: 60, tpm: 100000, budget: { usd: 20, period: 'month' } } });
    expect(created.status).toBe(201);
    expect(created.json.key).toMatch(/^kh-[0-9A-Za-z]{16}_[0-9A-Za-z]{43}$/);
    expect(created.json).toMatchObject({ name: 'laptop', scopes: ['read', 'write'], models: ['openai-main/*'], rpm: 60, tpm: 100000, budget: { usd: 20, period: 'month' }, ownerRole: 'member' });
    const key: string = created.json.key;
    const listed = await app.call('GET', '/api/me/keys', { headers: member() });
    const one = await app.call('GET', `/api/me/keys/${created.json.id}`, { headers: member() });
    for (const res of [listed, one]) {
      expect(res.text).not.toContain(key);
      expect(res.text).not.toContain(key.slice(20));
      expect(res.text).not.toMatch(/"hash"/);
    }
    const row = await ApiKey.findByPk(created.json.id);
    expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.hash).not.toBe(crypto.createHash('sha256').update(key).digest('hex'));
    await app.ctx.keyIndex.flushUsage();
    const files = fs.readdirSync(app.dataDir).filter((f) => f.startsWith('keyhold.db'));
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(app.dataDir, f))));
    expect(bytes.includes(Buffer.from(key.slice(20)))).toBe(false);
    const audit = (await AuditEvent.findAll({ raw: true })).map((e) => JSON.stringify(e)).join('');
    expect(audit).not.toContain(key.slice(20));
  });

  it('acts with the owner\'s role capped by its scopes, and records last use', async () => {
    const created = await app.call('POST', '/api/me/keys', { headers: member('z-bob'), body: { name: 'read-only', scopes: ['read'] } });
    const me = await app.call('GET', '/api/me', { headers: { authorization: `Bearer ${created.json.key}` } });
    expect(me.json).toMatchObject({ kind: 'key', did: 'z-bob', role: 'member', scopes: ['read'], keyId: created.json.id });
    await app.ctx.keyIndex.flushUsage();
    const row = await ApiKey.findByPk(created.json.id);
    expect(row!.lastUsedAt).toBeInstanceOf(Date);
    expect(row!.lastUsedIp).toMatch(/127\.0\.0\.1/);
  });

  it.each([
    ['an admin scope for a member', { name: 'x', scopes: ['admin'] }, 'scopes'],
    ['an unknown scope', { name: 'x', scopes: ['root'] }, 'scopes.0'],
    ['an expiry in the past', { name: 'x', expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
    ['an expiry past the maximum lifetime', { name: 'x', expiresAt: new Date(Date.now() + 400 * 86400_000).toISOString() }, 'expiresAt'],
    ['a missing name', { scopes: ['read'] }, 'name'],
    ['a bad model pattern', { name: 'x', models: ['gpt 4o; drop'] }, 'models.0'],
    ['a budget without an amount', { name: 'x', budget: { period: 'day' } }, 'budget'],
    ['a client id set by a member', { name: 'x', clientId: 'app' }, 'clientId'],
  ])('refuses %s with 400 naming the field and creates nothing', async (_name, body, param) => {
    const before = await ApiKey.count();
    const res = await app.call('POST', '/api/me/keys', { headers: member(), body });
    expect(res.status).toBe(400);
    expect(res.json.error.param).toBe(param);
    expect(await ApiKey.count()).toBe(before);
  });

  it('applies the maximum lifetime when no expiry is given', async () => {
    const created = await app.call('POST', '/api/me/keys', { headers: member(), body: { name: 'default-expiry' } });
    const days = (Date.parse(created.json.expiresAt) - Date.now()) / 86400_000;
    expect(days).toBeGreaterThan(364);
    expect(days).toBeLessThanOrEqual(365);
  });
});

describe('admin keys', () => {
  it('creates an app key with a client id for any owner, lists all keys, and revokes any', async () => {
    const created = await app.call('POST', '/api/admin/keys', { role: 'admin', body: { name: 'ci', ownerDid: 'z-ci-bot', ownerRole: 'member', clientId: 'ci-pipeline', scopes: ['write'] } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ ownerDid: 'z-ci-bot', clientId: 'ci-pipeline', scopes: ['write'] });
    const me = await app.call('GET', '/api/me', { headers: { authorization: `Bearer ${created.json.key}` } });
    expect(me.json.clientId).toBe('ci-pipeline');
    const all = await app.call('GET', '/api/admin/keys?limit=500', { role: 'admin' });
    expect(new Set(all.json.data.map((k: { ownerDid: string }) => k.ownerDid))).toEqual(new Set(['z-alice', 'z-bob', 'z-ci-bot']));
    const revoked = await app.call('DELETE', `/api/admin/keys/${created.json.id}`, { role: 'admin' });
    expect(revoked.json.revokedAt).toEqual(expect.any(String));
    expect((await app.call('GET', '/api/me', { headers: { authorization: `Bearer ${created.json.key}` } })).status).toBe(401);
    expect(await AuditEvent.count({ where: { action: 'api_key.revoked', targetId: created.json.id } })).toBe(1);
  });

  it('lets an admin-scoped key of an admin use the admin API, and refuses the admin scope for a member owner', async () => {
    const adminKey = await app.call('POST', '/api/admin/keys', { role: 'owner', body: { name: 'ops', ownerDid: 'z-admin', ownerRole: 'admin', scopes: ['read', 'admin'] } });
    expect((await app.call('GET', '/api/admin/accounts', { headers: { authorization: `Bearer ${adminKey.json.key}` } })).status).toBe(200);
    const refused = await app.call('POST', '/api/admin/keys', { role: 'owner', body: { name: 'bad', ownerDid: 'z-m', ownerRole: 'member', scopes: ['admin'] } });
    expect(refused.status).toBe(400);
    expect(refused.json.error.param).toBe('scopes');
  });

  it('answers 403 to a member on the admin key endpoints', async () => {
    expect((await app.call('GET', '/api/admin/keys', { role: 'member' })).status).toBe(403);
  });
});

describe('keys and access rules', () => {
  it('denies a read-only key invoking a model, and names the rule that denies a model', async () => {
    const readOnly = await app.call('POST', '/api/me/keys', { headers: member('z-carol'), body: { name: 'ro', scopes: ['read'] } });
    const writer = await app.call('POST', '/api/me/keys', { headers: member('z-carol'), body: { name: 'rw' } });
    const rule = await app.call('POST', '/api/admin/rules', { role: 'admin', body: { name: 'no-gpt4', models: ['openai-main/gpt-4*'], users: ['z-carol'], effect: 'deny' } });
    expect(rule.status).toBe(201);
    const principal = (key: string) => principalOfKey(verifyApiKey(key, app.ctx.keyIndex, app.ctx.keyHasher));
    expect(() => app.ctx.access.ensureAllowed(principal(readOnly.json.key), 'openai-main/gpt-4o-mini')).toThrow(expect.objectContaining({ status: 403 }));
    expect(app.ctx.access.authorize(principal(readOnly.json.key), 'openai-main/gpt-4o-mini').reason).toMatch(/write/);
    expect(() => app.ctx.access.ensureAllowed(principal(writer.json.key), 'openai-main/gpt-4o')).toThrow(/no-gpt4/);
    expect(app.ctx.access.authorize(principal(writer.json.key), 'openai-main/gpt-3.5-turbo').allowed).toBe(true);
  });
});

describe('settings', () => {
  it('lets an admin set the maximum key lifetime, which applies to the next key, with an audit event', async () => {
    const put = await app.call('PUT', '/api/admin/settings', { role: 'admin', body: { maxKeyLifetimeDays: 7 } });
    expect(put.json).toMatchObject({ maxKeyLifetimeDays: 7, defaultPolicy: 'allow-authenticated' });
    const tooLong = await app.call('POST', '/api/me/keys', { headers: member(), body: { name: 'x', expiresAt: new Date(Date.now() + 8 * 86400_000).toISOString() } });
    expect(tooLong.status).toBe(400);
    expect(await AuditEvent.count({ where: { action: 'settings.updated' } })).toBe(1);
    const bad = await app.call('PUT', '/api/admin/settings', { role: 'admin', body: { defaultPolicy: 'open' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.param).toBe('defaultPolicy');
    expect((await app.call('PUT', '/api/admin/settings', { role: 'member', body: { maxKeyLifetimeDays: 3650 } })).status).toBe(403);
    await app.call('PUT', '/api/admin/settings', { role: 'admin', body: { maxKeyLifetimeDays: 365 } });
  });
});

describe('verifying a key the process has seen before', () => {
  const verify = (key: string) => verifyApiKey(key, app.ctx.keyIndex, app.ctx.keyHasher);
  const reason = (key: string) => {
    try {
      verify(key);
      return 'ok';
    } catch (err) {
      return ((err as Error).cause as { reason: string }).reason;
    }
  };

  it('still refuses a wrong secret, a revoked key and an old key past its grace after the right one was remembered', async () => {
    const created = await app.call('POST', '/api/me/keys', { headers: member('z-memo'), body: { name: 'memo' } });
    const key = created.json.key as string;
    const hmac = jest.spyOn(crypto, 'createHmac');
    try {
      expect(reason(key)).toBe('ok');
      const afterFirst = hmac.mock.calls.length;
      expect(afterFirst).toBeGreaterThan(0);
      // The second time, the remembered salted hash answers: no HMAC.
      expect(reason(key)).toBe('ok');
      expect(hmac.mock.calls.length).toBe(afterFirst);
      // One changed character in the secret: the remembered hash does not match, the HMAC refuses.
      const last = key.at(-1) === 'a' ? 'b' : 'a';
      expect(reason(`${key.slice(0, -1)}${last}`)).toBe('wrong-secret');
      expect(hmac.mock.calls.length).toBe(afterFirst + 1);
    } finally {
      hmac.mockRestore();
    }

    const rotated = await app.call('POST', `/api/me/keys/${created.json.id}/rotate`, { headers: member('z-memo'), body: { graceHours: 0 } });
    expect(rotated.status).toBe(200);
    expect(reason(key)).toBe('wrong-secret');
    expect(reason(rotated.json.key)).toBe('ok');
    expect((await app.call('DELETE', `/api/me/keys/${created.json.id}`, { headers: member('z-memo') })).status).toBe(200);
    expect(reason(rotated.json.key)).toBe('revoked');
  });
});
