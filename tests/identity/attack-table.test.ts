// Every way in that must fail, each answered with the right status and body, changing nothing.
import { startTestApp, type TestApp } from '@tests/fixtures/test-app';
import { otherAppSecretKey, signComponentCall, signComponentCallAt } from '@tests/fixtures/component-signing';
import { ApiKey, AuditEvent, ProviderAccount } from '@api/models';
import { FailureLimiter } from '@api/identity/failure-limiter';

let app: TestApp;
let memberKey: { id: string; key: string };
let otherMemberKey: { id: string; key: string };
const COMPONENT = 'z8iZcallerComponentDid';

const INVALID_KEY = { error: { message: 'Invalid API key.', type: 'authentication_error', code: 'ERR_IDENTITY_API_KEY_INVALID', param: null } };
const INVALID_SIG = { error: { message: 'Invalid component signature.', type: 'authentication_error', code: 'ERR_IDENTITY_SIGNATURE_INVALID', param: null } };
const UNAUTHORIZED = { error: { message: 'Unauthorized.', type: 'authentication_error', code: 'ERR_AUTH_REQUIRED', param: null } };

async function issue(role: 'member' | 'admin', body: Record<string, unknown>, did?: string) {
  const res = await app.call('POST', '/api/me/keys', { headers: { authorization: `Bearer ${app.tokenFor(role, did)}` }, body });
  expect(res.status).toBe(201);
  return res.json as { id: string; key: string };
}

async function state() {
  const keys = await ApiKey.findAll({ order: [['id', 'ASC']], raw: true });
  return { keys: JSON.stringify(keys.map(({ lastUsedAt: _a, lastUsedIp: _b, ...rest }) => rest)), accounts: await ProviderAccount.count() };
}

beforeAll(async () => {
  app = await startTestApp({ logLevel: 'silent' });
  memberKey = await issue('member', { name: 'mine' }, 'z-member-a');
  otherMemberKey = await issue('member', { name: 'theirs' }, 'z-member-b');
});
afterAll(() => app.close());
// Every test starts with a clean failure count for 127.0.0.1; the brute-force test below counts its own.
beforeEach(() => {
  app.ctx.failures = new FailureLimiter();
});

type Attack = () => Promise<{ status: number; json: unknown }>;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const post = (path: string, body: unknown, headers: Record<string, string>) => app.call('POST', path, { body, headers });
const account = { name: 'acct', type: 'openai' };

const attacks: Array<[string, number, unknown, Attack]> = [
  ['no credential', 401, UNAUTHORIZED, () => app.call('GET', '/api/me')],
  ['a malformed key', 401, INVALID_KEY, () => app.call('GET', '/api/me', { headers: bearer('kh-short') })],
  ['a wrong secret for a real id', 401, INVALID_KEY, () => app.call('GET', '/api/me', { headers: bearer(`kh-${memberKey.id}_${'A'.repeat(43)}`) })],
  ['a key of an unknown id', 401, INVALID_KEY, () => app.call('GET', '/api/me', { headers: bearer(`kh-${'Z'.repeat(16)}_${'A'.repeat(43)}`) })],
  ['forged x-user-role: owner', 401, UNAUTHORIZED, () => post('/api/admin/accounts', account, { 'x-user-did': 'z-evil', 'x-user-role': 'owner' })],
  ['a member touching another member\'s key', 404, expect.objectContaining({ error: expect.objectContaining({ code: 'ERR_NOT_FOUND' }) }),
    () => app.call('DELETE', `/api/me/keys/${otherMemberKey.id}`, { headers: bearer(app.tokenFor('member', 'z-member-a')) })],
  ['a member key on the admin API', 403, expect.objectContaining({ error: expect.objectContaining({ code: 'ERR_AUTH_FORBIDDEN' }) }),
    () => post('/api/admin/accounts', account, bearer(memberKey.key))],
  ['an API key minting keys', 403, expect.objectContaining({ error: expect.objectContaining({ code: 'ERR_AUTH_FORBIDDEN' }) }),
    () => post('/api/me/keys', { name: 'minted' }, bearer(memberKey.key))],
  ['two credentials in one request', 400, expect.objectContaining({ error: expect.objectContaining({ code: 'ERR_IDENTITY_AMBIGUOUS' }) }),
    () => app.call('GET', '/api/me', { headers: { ...bearer(memberKey.key), cookie: `login_token=${app.tokenFor('member')}` } })],
  ['an API key and a component signature together', 400, expect.objectContaining({ error: expect.objectContaining({ code: 'ERR_IDENTITY_AMBIGUOUS' }) }),
    async () => app.call('GET', '/api/me', { headers: { ...bearer(memberKey.key), ...(await signComponentCall({ method: 'GET', path: '/api/me' }, COMPONENT)) } })],
  ['a valid component signature on the admin API (never admin)', 403, expect.objectContaining({ error: expect.objectContaining({ code: 'ERR_AUTH_FORBIDDEN' }) }),
    async () => post('/api/admin/accounts', account, await signComponentCall({ method: 'POST', path: '/api/admin/accounts', body: account }, COMPONENT))],
  ['a replayed component signature', 401, INVALID_SIG, async () => {
    const headers = await signComponentCall({ method: 'GET', path: '/api/me' }, COMPONENT);
    expect((await app.call('GET', '/api/me', { headers })).status).toBe(200);
    return app.call('GET', '/api/me', { headers });
  }],
  ['a body changed after signing', 401, INVALID_SIG,
    async () => post('/api/admin/accounts', { ...account, name: 'changed' }, await signComponentCall({ method: 'POST', path: '/api/admin/accounts', body: account }, COMPONENT))],
  ['a path changed after signing', 401, INVALID_SIG,
    async () => post('/api/admin/accounts', account, await signComponentCall({ method: 'POST', path: '/api/admin/keys', body: account }, COMPONENT))],
  ['a query changed after signing', 401, INVALID_SIG, async () => {
    const headers = await signComponentCall({ method: 'GET', path: '/api/me', query: { a: '1' } }, COMPONENT);
    return app.call('GET', '/api/me?a=2', { headers });
  }],
  ['a method changed after signing', 401, INVALID_SIG,
    async () => app.call('DELETE', '/api/me', { headers: await signComponentCall({ method: 'GET', path: '/api/me' }, COMPONENT) })],
  ['a signature from another app\'s key', 401, INVALID_SIG,
    async () => app.call('GET', '/api/me', { headers: await signComponentCall({ method: 'GET', path: '/api/me' }, COMPONENT, otherAppSecretKey()) })],
  ['a signature from beyond the clock-skew window', 401, INVALID_SIG, async () => {
    const now = Math.floor(Date.now() / 1000);
    return app.call('GET', '/api/me', { headers: await signComponentCallAt({ method: 'GET', path: '/api/me' }, COMPONENT, now + 600, now + 900) });
  }],
  ['an expired component signature', 401, INVALID_SIG, async () => {
    const now = Math.floor(Date.now() / 1000);
    return app.call('GET', '/api/me', { headers: await signComponentCallAt({ method: 'GET', path: '/api/me' }, COMPONENT, now - 900, now - 600) });
  }],
  ['a component signature claiming a day of validity', 401, INVALID_SIG, async () => {
    const now = Math.floor(Date.now() / 1000);
    return app.call('GET', '/api/me', { headers: await signComponentCallAt({ method: 'GET', path: '/api/me' }, COMPONENT, now, now + 86400) });
  }],
];

describe('identity attack table', () => {
  it.each(attacks)('refuses %s with %i and changes nothing', async (_name, status, body, attack) => {
    const before = await state();
    const res = await attack();
    expect(res.status).toBe(status);
    expect(res.json).toEqual(body);
    expect(await state()).toEqual(before);
  });
});

describe('API key lifecycle failures', () => {
  it('gives a byte-identical body for every reason a key fails', async () => {
    const revoked = await issue('member', { name: 'to-revoke' });
    await app.call('DELETE', `/api/me/keys/${revoked.id}`, { role: 'member' });
    const rotated = await issue('member', { name: 'to-rotate' });
    await app.call('POST', `/api/me/keys/${rotated.id}/rotate`, { role: 'member', body: { graceHours: 0 } });
    const expiring = await issue('member', { name: 'to-expire' });
    await ApiKey.update({ expiresAt: new Date(Date.now() - 1000) }, { where: { id: expiring.id } });
    await app.ctx.keyIndex.syncChanged();
    const bodies = new Set<string>();
    for (const token of ['kh-', 'kh-x_y', `kh-${memberKey.id}_${'B'.repeat(43)}`, `kh-${'Q'.repeat(16)}_${'B'.repeat(43)}`, revoked.key, rotated.key, expiring.key]) {
      const res = await app.call('GET', '/api/me', { headers: bearer(token) });
      expect(res.status).toBe(401);
      bodies.add(res.text);
    }
    expect([...bodies]).toEqual([JSON.stringify(INVALID_KEY)]);
  });

  it('sees a revocation on the very next request', async () => {
    const key = await issue('member', { name: 'revoke-now' });
    expect((await app.call('GET', '/api/me', { headers: bearer(key.key) })).status).toBe(200);
    const revoke = await app.call('DELETE', `/api/me/keys/${key.id}`, { role: 'member' });
    expect(revoke.json.revokedAt).toEqual(expect.any(String));
    expect((await app.call('GET', '/api/me', { headers: bearer(key.key) })).status).toBe(401);
  });

  it('keeps a rotated key\'s old secret working for the grace period only', async () => {
    const key = await issue('member', { name: 'rotate-grace' });
    const rotated = await app.call('POST', `/api/me/keys/${key.id}/rotate`, { role: 'member', body: { graceHours: 1 } });
    expect(rotated.json.key).not.toBe(key.key);
    expect(rotated.json.id).toBe(key.id);
    expect((await app.call('GET', '/api/me', { headers: bearer(key.key) })).status).toBe(200);
    expect((await app.call('GET', '/api/me', { headers: bearer(rotated.json.key) })).status).toBe(200);
    // The grace period ends.
    await ApiKey.update({ prevHashExpiresAt: new Date(Date.now() - 1) }, { where: { id: key.id } });
    await app.ctx.keyIndex.syncChanged();
    expect((await app.call('GET', '/api/me', { headers: bearer(key.key) })).status).toBe(401);
    expect((await app.call('GET', '/api/me', { headers: bearer(rotated.json.key) })).status).toBe(200);
  });

  it('records failed key attempts in the audit trail, never with the presented secret', async () => {
    const secretGuess = `kh-${memberKey.id}_${'C'.repeat(43)}`;
    await app.call('GET', '/api/me', { headers: bearer(secretGuess) });
    const last = await AuditEvent.findOne({ where: { action: 'auth.apiKey_failed' }, order: [['seq', 'DESC']] });
    expect(last).toMatchObject({ targetType: 'api_key', targetId: memberKey.id, actorMethod: 'apiKey' });
    expect(JSON.parse(last!.after!)).toEqual({ reason: 'wrong-secret' });
    const all = (await AuditEvent.findAll({ raw: true })).map((e) => JSON.stringify(e)).join('');
    expect(all).not.toContain('C'.repeat(43));
    expect(all).not.toContain(memberKey.key);
  });
});
