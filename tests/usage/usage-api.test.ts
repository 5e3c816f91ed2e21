import { startGatewayHarness, type GatewayHarness } from '@tests/fixtures/gateway-setup';
import { csvObjects, makeUsageRecord } from '@tests/fixtures/usage-records';
import type { UsageRecord } from '@api/audit/usage-record';

const H = 3_600_000;
const BASE = Date.UTC(2024, 0, 10);
const WINDOW = `since=2024-01-10T00:00:00Z&until=2024-01-12T00:00:00Z`;
const ALICE = 'z-usage-alice';
const BOB = 'z-usage-bob';

const alice = (o: Partial<UsageRecord>) => makeUsageRecord({ did: ALICE, keyId: 'ka1', ...o });
const bob = (o: Partial<UsageRecord>) => makeUsageRecord({ did: BOB, keyId: 'kb1', ...o });
const SYNTHETIC: UsageRecord[] = [
  alice({ startedAt: BASE + H + 5 * 60_000, model: 'model-a', accountId: 'acct-1', account: 'main', promptTokens: 10, completionTokens: 5, costUsd: 0.001 }),
  alice({ startedAt: BASE + H + 30 * 60_000, model: 'model-b', accountId: 'acct-2', account: 'second', promptTokens: 20, completionTokens: 10, costUsd: 0.002 }),
  alice({ startedAt: BASE + 26 * H, principalKind: 'user', keyId: null, model: 'model-a', accountId: 'acct-1', account: 'main', promptTokens: 0, completionTokens: 0, costUsd: null, status: 502, errorCode: 'ERR_GATEWAY_UPSTREAM' }),
  bob({ startedAt: BASE + 2 * H, model: 'model-a', accountId: 'acct-1', account: 'main', promptTokens: 100, completionTokens: 50, costUsd: 0.01 }),
  bob({ startedAt: BASE + 48 * H - 60_000, model: 'model-c', accountId: null, account: null, upstreamModel: null, credentialId: null, promptTokens: 0, completionTokens: 0, costUsd: null, status: 404, errorCode: 'ERR_GATEWAY_MODEL_NOT_FOUND' }),
  // Just outside the window on either side: since is inclusive, until exclusive.
  alice({ startedAt: BASE - 1, model: 'model-a' }),
  bob({ startedAt: BASE + 48 * H, model: 'model-a' }),
  // For the CSV export: values that need quoting, and one a spreadsheet would run as a formula.
  alice({ startedAt: Date.UTC(2023, 5, 1, 8), model: 'weird, "quoted"\r\nmodel', errorCode: null }),
  alice({ startedAt: Date.UTC(2023, 5, 1, 9), model: '=HYPERLINK("http://evil.example")' }),
  bob({ startedAt: Date.UTC(2023, 5, 1, 10), model: 'model-bob' }),
];

let h: GatewayHarness;
let aliceKey: string;
let aliceWriteOnlyKey: string;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const asUser = (did: string, role: 'member' | 'admin' = 'member') => ({ headers: bearer(h.app.tokenFor(role, did)) });

beforeAll(async () => {
  h = await startGatewayHarness();
  await h.addAccount({ type: 'openai', name: 'usage-main', enabledModels: ['model-a'] });
  aliceKey = (await h.createKey('member', ALICE)).key;
  aliceWriteOnlyKey = (await h.createKey('member', ALICE, { scopes: ['write'] })).key;
  const bobKey = (await h.createKey('member', BOB)).key;
  const hi = [{ role: 'user' as const, content: 'hi' }];
  for (const key of [aliceKey, aliceKey, bobKey]) await h.client(key).chat.completions.create({ model: 'model-a', messages: hi });
  for (const record of SYNTHETIC) h.app.ctx.usage.record(record);
  await h.app.ctx.usageStore.flush();
});
afterAll(() => h.close());

const figures = (requests: number, promptTokens: number, completionTokens: number, costUsd: number, errors: number) => ({ requests, promptTokens, completionTokens, costUsd, errors });

it('records real /v1 calls and shows them to their caller, by login or by a key with the read scope', async () => {
  for (const options of [asUser(ALICE), { headers: bearer(aliceKey) }]) {
    const res = await h.app.call('GET', '/api/me/usage?groupBy=account', options);
    expect(res.status).toBe(200);
    expect(res.json.totals).toEqual(figures(2, 2, 6, 0, 0));
    expect(res.json.groups).toEqual([{ key: expect.any(String), label: 'usage-main', ...figures(2, 2, 6, 0, 0) }]);
  }
  const forbidden = await h.app.call('GET', '/api/me/usage', { headers: bearer(aliceWriteOnlyKey) });
  expect(forbidden.status).toBe(403);
  expect((await h.app.call('GET', '/api/me/usage')).status).toBe(401);
});

it('shows a member only their own records, and an admin everyone', async () => {
  const mine = await h.app.call('GET', `/api/me/usage?${WINDOW}&groupBy=user`, asUser(ALICE));
  expect(mine.json.totals).toEqual(figures(3, 30, 15, 0.003, 1));
  expect(mine.json.groups.map((g: { key: string }) => g.key)).toEqual([ALICE]);

  const all = await h.app.call('GET', `/api/admin/usage?${WINDOW}&groupBy=user`, { role: 'admin' });
  expect(all.status).toBe(200);
  expect(all.json.totals).toEqual(figures(5, 130, 65, 0.013, 2));
  expect(all.json.groups).toEqual([
    { key: ALICE, label: ALICE, ...figures(3, 30, 15, 0.003, 1) },
    { key: BOB, label: BOB, ...figures(2, 100, 50, 0.01, 1) },
  ]);
});

it('refuses /api/admin/usage to a member with 403', async () => {
  const res = await h.app.call('GET', '/api/admin/usage', asUser(ALICE));
  expect(res.status).toBe(403);
  expect(res.json.error.code).toBe('ERR_AUTH_FORBIDDEN');
});

it.each([
  ['model', [['model-a', 'model-a', figures(3, 110, 55, 0.011, 1)], ['model-b', 'model-b', figures(1, 20, 10, 0.002, 0)], ['model-c', 'model-c', figures(1, 0, 0, 0, 1)]]],
  ['key', [['ka1', 'ka1', figures(2, 30, 15, 0.003, 0)], ['kb1', 'kb1', figures(2, 100, 50, 0.01, 1)], [null, null, figures(1, 0, 0, 0, 1)]]],
  ['account', [['acct-1', 'main', figures(3, 110, 55, 0.011, 1)], ['acct-2', 'second', figures(1, 20, 10, 0.002, 0)], [null, null, figures(1, 0, 0, 0, 1)]]],
] as const)('groups by %s, busiest first, with each group summed', async (groupBy, expected) => {
  const res = await h.app.call('GET', `/api/admin/usage?${WINDOW}&groupBy=${groupBy}`, { role: 'owner' });
  expect(res.status).toBe(200);
  expect(res.json.groupBy).toBe(groupBy);
  expect(res.json.groups).toEqual(expected.map(([key, label, f]) => ({ key, label, ...f })));
});

it('limits the number of groups but not the totals', async () => {
  const res = await h.app.call('GET', `/api/admin/usage?${WINDOW}&groupBy=model&limit=1`, { role: 'owner' });
  expect(res.json.groups.map((g: { key: string }) => g.key)).toEqual(['model-a']);
  expect(res.json.totals.requests).toBe(5);
});

it('gives a series by day and by hour (UTC) with every bucket of the range, empty ones as zeros', async () => {
  const daily = await h.app.call('GET', `/api/admin/usage?${WINDOW}&interval=day`, { role: 'owner' });
  expect(daily.json.series).toEqual([
    { bucket: '2024-01-10T00:00:00.000Z', ...figures(3, 130, 65, 0.013, 0) },
    { bucket: '2024-01-11T00:00:00.000Z', ...figures(2, 0, 0, 0, 2) },
  ]);

  const hourly = await h.app.call('GET', `/api/admin/usage?${WINDOW}&interval=hour`, { role: 'owner' });
  expect(hourly.json.series).toHaveLength(48);
  const busy = hourly.json.series.filter((b: { requests: number }) => b.requests > 0);
  expect(busy).toEqual([
    { bucket: '2024-01-10T01:00:00.000Z', ...figures(2, 30, 15, 0.003, 0) },
    { bucket: '2024-01-10T02:00:00.000Z', ...figures(1, 100, 50, 0.01, 0) },
    { bucket: '2024-01-11T02:00:00.000Z', ...figures(1, 0, 0, 0, 1) },
    { bucket: '2024-01-11T23:00:00.000Z', ...figures(1, 0, 0, 0, 1) },
  ]);
  expect(hourly.json.series[0]).toEqual({ bucket: '2024-01-10T00:00:00.000Z', ...figures(0, 0, 0, 0, 0) });

  const mine = await h.app.call('GET', `/api/me/usage?${WINDOW}&interval=day`, asUser(BOB));
  expect(mine.json.series.map((b: { requests: number }) => b.requests)).toEqual([1, 1]);
});

it('exports the raw records in range as RFC 4180 CSV that parses back, the caller\'s own only for /me', async () => {
  const range = 'since=2023-06-01&until=2023-06-02&format=csv';
  const res = await h.app.call('GET', `/api/admin/usage?${range}`, { role: 'owner' });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(res.headers.get('content-disposition')).toBe('attachment; filename="keyhold-usage-20230601T000000Z-20230602T000000Z.csv"');
  const rows = csvObjects(res.text);
  expect(rows.map((r) => r.model)).toEqual(['weird, "quoted"\r\nmodel', `'=HYPERLINK("http://evil.example")`, 'model-bob']);
  const first = SYNTHETIC[7];
  expect(rows[0]).toMatchObject({
    request_id: first.requestId, started_at: '2023-06-01T08:00:00.000Z', did: ALICE, key_id: 'ka1', status: '200', stream: 'false',
    prompt_tokens: '10', completion_tokens: '5', cost_usd: '0.001', ttfb_ms: '10.25', error_code: '', component_did: '',
  });

  const own = await h.app.call('GET', `/api/me/usage?${range}`, asUser(BOB));
  expect(csvObjects(own.text).map((r) => r.did)).toEqual([BOB]);

  const empty = await h.app.call('GET', '/api/admin/usage?since=2000-01-01&until=2000-01-02&format=csv', { role: 'owner' });
  expect(csvObjects(empty.text)).toEqual([]);
  expect(empty.text.split('\r\n')[0]).toMatch(/^request_id,started_at,/);
});

it('pages a long export without losing or repeating a record', async () => {
  const many = Array.from({ length: 2500 }, (_, i) => makeUsageRecord({ did: 'z-usage-many', startedAt: Date.UTC(2022, 0, 1) + Math.floor(i / 3) }));
  for (const record of many) h.app.ctx.usage.record(record);
  await h.app.ctx.usageStore.flush();
  const res = await h.app.call('GET', '/api/admin/usage?since=2022-01-01&until=2022-01-02&format=csv', { role: 'owner' });
  const ids = csvObjects(res.text).map((r) => r.request_id);
  expect(ids).toHaveLength(2500);
  expect(new Set(ids)).toEqual(new Set(many.map((r) => r.requestId)));
});

it.each([
  ['groupBy=team', 'groupBy'],
  ['interval=week', 'interval'],
  ['since=yesterday', 'since'],
  ['until=2024-13-45', 'until'],
  ['since=2024-01-02&until=2024-01-01', 'until'],
  ['limit=0', 'limit'],
  ['format=xml', 'format'],
  ['user=z-usage-bob', 'user'],
  ['interval=hour&since=2024-01-01&until=2024-07-01', 'interval'],
])('answers 400 naming the parameter for %s', async (query, param) => {
  for (const [path, options] of [['/api/admin/usage', { role: 'owner' as const }], ['/api/me/usage', asUser(ALICE)]] as const) {
    const res = await h.app.call('GET', `${path}?${query}`, options);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'ERR_VALIDATION', param });
  }
});
