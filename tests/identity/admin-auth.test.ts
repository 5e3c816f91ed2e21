import jwt from 'jsonwebtoken';
import { startTestApp, type TestApp } from '@tests/fixtures/test-app';
import { AuditEvent, ProviderAccount } from '@api/models';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const account = { name: 'openai-main', type: 'openai' };

async function counts() {
  return { accounts: await ProviderAccount.count(), audits: await AuditEvent.count() };
}

describe('admin API authentication', () => {
  it('answers 401 to an anonymous request and records the failed admin authentication', async () => {
    const before = await counts();
    const res = await app.call('GET', '/api/admin/accounts');
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: { message: 'Unauthorized.', type: 'authentication_error', code: 'ERR_AUTH_REQUIRED', param: null } });
    const last = await AuditEvent.findOne({ order: [['seq', 'DESC']] });
    expect(last?.action).toBe('auth.admin_unauthenticated');
    expect((await counts()).audits).toBe(before.audits + 1);
  });

  it.each([
    ['forged x-user-role: owner', { 'x-user-did': 'z-attacker', 'x-user-role': 'owner', 'x-user-fullname': 'Owner' }],
    ['forged x-user-* with a blocklet-style header set', { 'x-user-did': 'z1', 'x-user-role': 'admin', 'x-user-provider': 'wallet', 'x-user-method': 'loginToken' }],
  ])('treats %s as anonymous: 401, nothing written', async (_name, headers) => {
    const before = await counts();
    const res = await app.call('POST', '/api/admin/accounts', { headers, body: account });
    expect(res.status).toBe(401);
    expect((await counts()).accounts).toBe(before.accounts);
  });

  it('answers 403 to a member and to a guest, with an audit event', async () => {
    for (const role of ['member', 'guest'] as const) {
      const before = await counts();
      const res = await app.call('POST', '/api/admin/accounts', { role, body: account });
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('ERR_AUTH_FORBIDDEN');
      const after = await counts();
      expect(after.accounts).toBe(before.accounts);
      expect(after.audits).toBe(before.audits + 1);
      const last = await AuditEvent.findOne({ order: [['seq', 'DESC']] });
      expect(last).toMatchObject({ action: 'auth.admin_forbidden', actorRole: role });
    }
  });

  it.each([
    ['signed with another secret', () => jwt.sign({ did: 'z1', role: 'owner' }, 'not-the-session-secret', { expiresIn: '1h' })],
    ['expired', () => jwt.sign({ did: 'z1', role: 'owner', exp: Math.floor(Date.now() / 1000) - 60 }, app.identity.sessionSecret)],
    ['with alg none', () => `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"did":"z1","role":"owner"}').toString('base64url')}.`],
    ['malformed', () => 'a.b.c'],
  ])('rejects a login token %s with 401', async (_name, makeToken) => {
    const res = await app.call('GET', '/api/admin/accounts', { headers: { authorization: `Bearer ${makeToken()}` } });
    expect(res.status).toBe(401);
  });

  it('lets an admin and an owner in with a Bearer login token, without a CSRF token', async () => {
    const res = await app.call('POST', '/api/admin/accounts', { role: 'admin', body: account });
    expect(res.status).toBe(201);
    expect((await app.call('GET', '/api/admin/accounts', { role: 'owner' })).json.data).toHaveLength(1);
  });
});

describe('cookie sessions and CSRF', () => {
  const cookieFor = () => `login_token=${app.tokenFor('owner')}`;

  it('refuses a cookie-authenticated write without a CSRF token: 403, nothing written', async () => {
    const before = await counts();
    const res = await app.call('POST', '/api/admin/accounts', { headers: { cookie: cookieFor() }, body: { name: 'via-cookie', type: 'openai' } });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('ERR_AUTH_CSRF');
    expect((await counts()).accounts).toBe(before.accounts);
  });

  it('refuses a CSRF token made for another login token, and one copied into a cookie only', async () => {
    const cookie = cookieFor();
    const other = await app.call('GET', '/api/session', { headers: { cookie: `login_token=${app.tokenFor('owner', 'z-someone-else')}` } });
    const wrong = await app.call('POST', '/api/admin/accounts', { headers: { cookie, 'x-csrf-token': other.json.csrfToken }, body: { name: 'via-cookie', type: 'openai' } });
    expect(wrong.status).toBe(403);
    const session = await app.call('GET', '/api/session', { headers: { cookie } });
    const cookieOnly = await app.call('POST', '/api/admin/accounts', { headers: { cookie: `${cookie}; x-csrf-token=${session.json.csrfToken}` }, body: { name: 'via-cookie', type: 'openai' } });
    expect(cookieOnly.status).toBe(403);
  });

  it('accepts a cookie-authenticated write with the CSRF token from /api/session', async () => {
    const cookie = cookieFor();
    const session = await app.call('GET', '/api/session', { headers: { cookie } });
    expect(session.json.user.role).toBe('owner');
    expect(session.json.csrfToken).toEqual(expect.any(String));
    const res = await app.call('POST', '/api/admin/accounts', { headers: { cookie, 'x-csrf-token': session.json.csrfToken }, body: { name: 'via-cookie', type: 'openai' } });
    expect(res.status).toBe(201);
  });

  it('sets the login cookie from /login?token= and redirects without the token', async () => {
    const res = await fetch(`${app.url}/login?token=${app.tokenFor('owner')}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(res.headers.get('set-cookie')).toMatch(/^login_token=.+; Path=\/; HttpOnly; SameSite=Lax$/);
    const bad = await fetch(`${app.url}/login?token=forged.token.value`, { redirect: 'manual' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('set-cookie')).toBeNull();
  });
});
