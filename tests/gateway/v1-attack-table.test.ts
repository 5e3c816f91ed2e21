// /v1 under attack and misuse: each row asserts the status, the error body, and that nothing
// reached the upstream and no call was counted as served. Then the other ways in (login token,
// cookie session with CSRF, signed component call) and brute force, last, since it blocks the IP.
import { startGatewayHarness, type GatewayHarness } from '@tests/fixtures/gateway-setup';
import { signComponentCall } from '@tests/fixtures/component-signing';
import type { UsageRecord } from '@api/audit/usage-record';

const COMPONENT = 'z8iZcallerComponentDid';
let h: GatewayHarness;
const keys: Record<string, string> = {};
const records: UsageRecord[] = [];
const INVALID_KEY = { error: { message: 'Invalid API key.', type: 'authentication_error', code: 'ERR_IDENTITY_API_KEY_INVALID', param: null } };

beforeAll(async () => {
  h = await startGatewayHarness();
  await h.addAccount({ type: 'openai', name: 'main', enabledModels: ['model-a', 'model-b'] });
  await h.app.call('POST', '/api/admin/rules', { role: 'owner', body: { name: 'block model-b', models: ['main/model-b'], roles: ['member'], effect: 'deny' } });
  keys.member = (await h.createKey('member', 'z-member-attack')).key;
  keys.read = (await h.createKey('member', 'z-member-attack', { scopes: ['read'] })).key;
  keys.narrow = (await h.createKey('member', 'z-member-attack', { models: ['main/model-b'] })).key;
  keys.guest = (await h.createKey('guest', 'z-guest-attack')).key;
  const revoked = await h.createKey('member', 'z-member-attack');
  keys.revoked = revoked.key;
  const res = await h.app.call('DELETE', `/api/me/keys/${revoked.id}`, { headers: { authorization: `Bearer ${h.app.tokenFor('member', 'z-member-attack')}` } });
  expect(res.status).toBe(200);
  const realId = keys.member.split('_')[0];
  keys.wrongSecret = `${realId}_${'x'.repeat(43)}`;
  keys.malformed = 'kh-short';
  h.app.ctx.usage.subscribe((record) => void records.push(record));
});
afterAll(() => h.close());

const body = (model = 'model-a', extra: Record<string, unknown> = {}) => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...extra });

interface Row {
  name: string;
  headers?: Record<string, string>;
  key?: string;
  method?: string;
  path?: string;
  payload?: string;
  status: number;
  code: string;
  message?: string;
  /** An identified caller's model call that was refused: one usage record, with its status and code. */
  recorded?: true;
}

const ROWS: Row[] = [
  { name: 'no credential', status: 401, code: 'ERR_AUTH_REQUIRED' },
  { name: 'forged x-user-role: owner without a credential', headers: { 'x-user-role': 'owner', 'x-user-did': 'z-owner' }, status: 401, code: 'ERR_AUTH_REQUIRED' },
  { name: 'malformed key', key: 'malformed', status: 401, code: 'ERR_IDENTITY_API_KEY_INVALID' },
  { name: 'wrong secret for a real key id', key: 'wrongSecret', status: 401, code: 'ERR_IDENTITY_API_KEY_INVALID' },
  { name: 'revoked key', key: 'revoked', status: 401, code: 'ERR_IDENTITY_API_KEY_INVALID' },
  { name: 'read-only key invoking a model', key: 'read', status: 403, code: 'ERR_ACCESS_DENIED', message: 'write scope', recorded: true },
  { name: 'key whose model list excludes the model', key: 'narrow', status: 403, code: 'ERR_ACCESS_DENIED', recorded: true },
  { name: 'model denied by a rule (named)', key: 'member', payload: body('model-b'), status: 403, code: 'ERR_ACCESS_DENIED', message: 'block model-b', recorded: true },
  { name: 'guest, whom no rule allows', key: 'guest', status: 403, code: 'ERR_ACCESS_DENIED', recorded: true },
  { name: 'API key and login cookie together', key: 'member', headers: { cookie: 'login_token=abc' }, status: 400, code: 'ERR_IDENTITY_AMBIGUOUS' },
  { name: 'unknown model', key: 'member', payload: body('nope'), status: 404, code: 'ERR_GATEWAY_MODEL_NOT_FOUND', recorded: true },
  { name: 'unknown parameter', key: 'member', payload: body('model-a', { temprature: 1 }), status: 400, code: 'ERR_VALIDATION', message: 'temprature', recorded: true },
  { name: 'malformed JSON', key: 'member', payload: '{"model":', status: 400, code: 'ERR_VALIDATION', message: 'malformed JSON', recorded: true },
  { name: 'empty body', key: 'member', payload: '', status: 400, code: 'ERR_VALIDATION', recorded: true },
  { name: 'messages of the wrong type', key: 'member', payload: JSON.stringify({ model: 'model-a', messages: 'hi' }), status: 400, code: 'ERR_VALIDATION', recorded: true },
  { name: 'temperature out of range', key: 'member', payload: body('model-a', { temperature: 9 }), status: 400, code: 'ERR_VALIDATION', recorded: true },
  { name: 'oversized body', key: 'member', payload: body('model-a', { user: 'x'.repeat(21 * 1024 * 1024) }), status: 413, code: 'ERR_BODY_TOO_LARGE', recorded: true },
  { name: 'not JSON', key: 'member', headers: { 'content-type': 'text/plain' }, status: 415, code: 'ERR_VALIDATION', recorded: true },
  { name: 'GET on a POST route', key: 'member', method: 'GET', status: 405, code: 'ERR_VALIDATION' },
  { name: 'unknown /v1 route', key: 'member', path: '/v1/completions', status: 404, code: 'ERR_NOT_FOUND' },
];

it.each(ROWS)('$name → $status', async (row) => {
  const before = h.fake.requests.length;
  records.length = 0;
  const method = row.method ?? 'POST';
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(row.key ? { authorization: `Bearer ${keys[row.key]}` } : {}), ...row.headers };
  const res = await fetch(`${h.app.url}${row.path ?? '/v1/chat/completions'}`, { method, headers, body: method === 'GET' ? undefined : (row.payload ?? body()) });
  const json = (await res.json()) as { error: { code: string; message: string } };
  expect(res.status).toBe(row.status);
  expect(json.error.code).toBe(row.code);
  if (row.message) expect(json.error.message).toContain(row.message);
  // Every bad-key reason answers the same bytes.
  if (row.code === 'ERR_IDENTITY_API_KEY_INVALID') expect(json).toEqual(INVALID_KEY);
  expect(h.fake.requests.length).toBe(before);
  expect(records.filter((r) => r.status === 200)).toHaveLength(0);
  // Every refused model call of a known caller is in the usage log, a body refused unread too; the rest never reach one.
  if (row.recorded) expect(records).toEqual([expect.objectContaining({ principalKind: 'key', did: row.key === 'guest' ? 'z-guest-attack' : 'z-member-attack', status: row.status, errorCode: row.code })]);
  else expect(records).toEqual([]);
});

// The same refused bodies from a login token, which Express serves: answered alike, and recorded as that user's.
const BODY_ROWS = ROWS.filter((row) => row.recorded && row.key === 'member' && (row.payload !== undefined || row.headers));

it.each(BODY_ROWS)('a login token: $name → $status, recorded', async (row) => {
  const before = h.fake.requests.length;
  records.length = 0;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${h.app.tokenFor('member', 'z-login-refused')}`, ...row.headers };
  const res = await fetch(`${h.app.url}/v1/chat/completions`, { method: 'POST', headers, body: row.payload ?? body() });
  const json = (await res.json()) as { error: { code: string; message: string } };
  expect(res.status).toBe(row.status);
  expect(json.error.code).toBe(row.code);
  if (row.message) expect(json.error.message).toContain(row.message);
  expect(h.fake.requests.length).toBe(before);
  expect(records).toEqual([expect.objectContaining({ principalKind: 'user', did: 'z-login-refused', status: row.status, errorCode: row.code })]);
});

it('refuses a signed component call whose body is not JSON at once: 400, nothing recorded, nothing sent', async () => {
  const before = h.fake.requests.length;
  records.length = 0;
  const signed = await signComponentCall({ method: 'POST', path: '/v1/chat/completions', body: { model: 'model-a' } }, COMPONENT);
  const res = await fetch(`${h.app.url}/v1/chat/completions`, { method: 'POST', headers: { ...signed, 'content-type': 'application/json' }, body: '{"model":' });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ERR_VALIDATION');
  expect(h.fake.requests.length).toBe(before);
  expect(records).toEqual([]);
});

it('lists nothing a read-only key may not see, but lets it list', async () => {
  const res = await fetch(`${h.app.url}/v1/models`, { headers: { authorization: `Bearer ${keys.read}` } });
  expect(res.status).toBe(200);
  const ids = ((await res.json()) as { data: Array<{ id: string }> }).data.map((m: { id: string }) => m.id);
  expect(ids).toEqual(['main/model-a', 'model-a']);
});

it('serves a login token sent as Bearer (through the session middleware)', async () => {
  const res = await fetch(`${h.app.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${h.app.tokenFor('member', 'z-login-user')}`, 'content-type': 'application/json' }, body: body() });
  expect(res.status).toBe(200);
  expect(records.at(-1)).toMatchObject({ principalKind: 'user', did: 'z-login-user', status: 200 });
});

it('asks a cookie session for its CSRF token before a model call', async () => {
  const cookie = `login_token=${h.app.tokenFor('member', 'z-cookie-user')}`;
  const without = await fetch(`${h.app.url}/v1/chat/completions`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: body() });
  expect(without.status).toBe(403);
  expect(((await without.json()) as { error: { code: string } }).error.code).toBe('ERR_AUTH_CSRF');
  const session = await h.app.call('GET', '/api/session', { headers: { cookie } });
  const withToken = await fetch(`${h.app.url}/v1/chat/completions`, { method: 'POST', headers: { cookie, 'x-csrf-token': session.json.csrfToken, 'content-type': 'application/json' }, body: body() });
  expect(withToken.status).toBe(200);
});

it('serves a signed component call, once: the same signature replayed is refused', async () => {
  const payload = { model: 'model-a', messages: [{ role: 'user', content: 'hi' }] };
  const signed = await signComponentCall({ method: 'POST', path: '/v1/chat/completions', body: payload }, COMPONENT);
  const send = () => fetch(`${h.app.url}/v1/chat/completions`, { method: 'POST', headers: { ...signed, 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  const first = await send();
  expect(first.status).toBe(200);
  expect(records.at(-1)).toMatchObject({ principalKind: 'component', componentDid: COMPONENT });
  const replay = await send();
  expect(replay.status).toBe(401);
  expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('ERR_IDENTITY_SIGNATURE_INVALID');
  // Altered after signing: another model in the same signed envelope.
  const altered = await fetch(`${h.app.url}/v1/chat/completions`, { method: 'POST', headers: { ...(await signComponentCall({ method: 'POST', path: '/v1/chat/completions', body: payload }, COMPONENT)), 'content-type': 'application/json' }, body: JSON.stringify({ ...payload, model: 'model-b' }) });
  expect(altered.status).toBe(401);
});

it('blocks an IP that keeps presenting bad keys: 429 with Retry-After, even for a good key', async () => {
  let last = 0;
  for (let i = 0; i < 25 && last !== 429; i += 1) {
    last = (await fetch(`${h.app.url}/v1/models`, { headers: { authorization: `Bearer kh-AAAAAAAAAAAAAAAA_${'b'.repeat(43)}` } })).status;
  }
  expect(last).toBe(429);
  const good = await fetch(`${h.app.url}/v1/models`, { headers: { authorization: `Bearer ${keys.member}` } });
  expect(good.status).toBe(429);
  expect(Number(good.headers.get('retry-after'))).toBeGreaterThan(0);
});
