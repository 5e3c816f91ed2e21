// Two replicas on one PostgreSQL with REDIS_URL, their database poll set to ten minutes: whatever
// one replica changes reaches the other within a moment only because the change bus tells it. The
// bus carries no data, so forged and malformed announcements are checked to change nothing, and a
// Redis that goes away and comes back is checked to lose nothing.
import { Redis } from 'ioredis';
import fs from 'node:fs';
import { startPostgres, type TestPostgres } from '@tests/fixtures/postgres-server';
import { startRedis, type TestRedis } from '@tests/fixtures/redis-server';
import { startGatewayHarness, type GatewayHarness } from '@tests/fixtures/gateway-setup';
import { startSecondReplica, type SecondReplica } from '@tests/fixtures/second-replica';
import { CHANGE_CHANNEL } from '@api/db/change-bus';

let pg: TestPostgres;
let redis: TestRedis;
let h: GatewayHarness;
let b: SecondReplica;
let publisher: Redis;

// Far beyond any wait below: a change seen sooner came through the bus.
const POLL_MS = '600000';
const chat = { model: 'bus-main/model-a', messages: [{ role: 'user' as const, content: 'hi' }] };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The status a /v1 chat call answers with. */
const statusOf = (call: Promise<unknown>) => call.then(() => 200, (err: { status?: number }) => err.status ?? 0);

/** Polls until `check` returns true, failing after `timeoutMs` (a few seconds: never a poll period). */
async function soon(check: () => Promise<boolean> | boolean, timeoutMs = 5000, stepMs = 100): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`not seen within ${timeoutMs} ms`);
    await sleep(stepMs);
  }
  return Date.now() - started;
}

beforeAll(async () => {
  pg = await startPostgres();
  redis = await startRedis();
  const env = { DATABASE_URL: pg.url, REDIS_URL: redis.url, KEYHOLD_SYNC_INTERVAL_MS: POLL_MS };
  h = await startGatewayHarness({ env });
  b = await startSecondReplica(h, env);
  publisher = new Redis(redis.url, { maxRetriesPerRequest: 1 });
}, 120_000);

afterAll(async () => {
  publisher?.disconnect();
  await b?.stop();
  await h?.close();
  await redis?.stop();
  await pg?.stop();
  if (h) fs.rmSync(h.app.dataDir, { recursive: true, force: true });
});

it('brings an account made on A, and keys made on either replica, to the other at once', async () => {
  // B was running before the account existed; a model it does not know is a 404, not an auth failure.
  await h.addAccount({ type: 'openai', name: 'bus-main', enabledModels: ['model-a'] });
  const { key: keyOfA } = await h.createKey('member', 'z-bus-a');
  const { id, key: keyOfB } = await b.createKey('z-bus-b');
  // A's own index shows when B's key arrived, without a call that could count as a failed login.
  await soon(() => h.app.ctx.keyIndex.get(id) !== undefined, 3000);
  expect(await statusOf(h.client(keyOfB).chat.completions.create(chat))).toBe(200);
  // B: the account and A's key. Each try is at most one unknown-key failure, far below the lockout.
  await soon(async () => (await statusOf(b.client(keyOfA).chat.completions.create(chat))) === 200, 3000, 300);
});

it('stops a key revoked on one replica on the other within a moment', async () => {
  const { id, key } = await h.createKey('member', 'z-bus-revoke');
  await soon(async () => (await statusOf(b.client(key).chat.completions.create(chat))) === 200, 3000, 300);
  const revoked = await h.app.call('DELETE', `/api/me/keys/${id}`, { headers: { authorization: `Bearer ${h.app.tokenFor('member', 'z-bus-revoke')}` } });
  expect(revoked.status).toBe(200);
  // Until B hears of it the key still works (no failed logins pile up); then it is OpenAI's 401.
  const took = await soon(async () => (await statusOf(b.client(key).models.list())) === 401, 3000, 50);
  expect(took).toBeLessThan(3000);
});

it('applies a rule written on B to calls on A at once, and its removal too', async () => {
  const { key } = await h.createKey('member', 'z-bus-rule');
  const rule = await b.call('POST', '/api/admin/rules', 'owner', 'z-bus-owner', { name: 'no-bus-main', models: ['bus-main/*'], roles: ['member'], effect: 'deny' });
  expect(rule.status).toBe(201);
  await soon(async () => (await statusOf(h.client(key).chat.completions.create(chat))) === 403);
  expect((await b.call('DELETE', `/api/admin/rules/${rule.json.id}`, 'owner', 'z-bus-owner')).status).toBe(204);
  await soon(async () => (await statusOf(h.client(key).chat.completions.create(chat))) === 200);
});

it('only reads the database on an announcement, and ignores malformed ones and its own', async () => {
  const check = jest.spyOn(h.app.ctx.changes, 'check');
  try {
    const { key } = await h.createKey('member', 'z-bus-forged');
    const keysBefore = h.app.ctx.keyIndex.size;
    check.mockClear();
    // Malformed: no table, an unknown table, extra words, empty, oversized, binary.
    for (const message of ['garbage', 'evil no_such_table', 'evil api_keys extra', '', ' api_keys', 'evil '.repeat(100) + 'api_keys', '\u0000\uffff']) {
      await publisher.publish(CHANGE_CHANNEL, message);
    }
    // A's own origin: its caches are already current.
    await publisher.publish(CHANGE_CHANNEL, `${h.app.ctx.changeBus.origin} api_keys`);
    await sleep(300);
    expect(check).not.toHaveBeenCalled();
    // Well formed, from anyone: A looks at the database, which holds no such change, and changes nothing.
    await publisher.publish(CHANGE_CHANNEL, 'forged api_keys');
    await soon(() => check.mock.calls.length === 1, 2000, 20);
    await check.mock.results[0].value;
    expect(h.app.ctx.keyIndex.size).toBe(keysBefore);
    expect(await statusOf(h.client(key).chat.completions.create(chat))).toBe(200);
    expect(await statusOf(h.client('kh-AAAAAAAAAAAAAAAA_' + 'A'.repeat(43)).chat.completions.create(chat))).toBe(401);
    // Nothing above was worth more than a debug line.
    expect(h.app.logs.filter((line) => /"level":(50|60)/.test(line) && line.includes('change'))).toEqual([]);
  } finally {
    check.mockRestore();
  }
});

it('catches up after Redis was away: a revocation made meanwhile reaches the other replica when it is back', async () => {
  const { id, key } = await h.createKey('member', 'z-bus-outage');
  await soon(async () => (await statusOf(b.client(key).chat.completions.create(chat))) === 200, 3000, 300);
  await redis.stop();
  // The announcement of this revocation is lost: nobody is listening.
  const revoked = await h.app.call('DELETE', `/api/me/keys/${id}`, { headers: { authorization: `Bearer ${h.app.tokenFor('member', 'z-bus-outage')}` } });
  expect(revoked.status).toBe(200);
  await sleep(500);
  expect(await statusOf(b.client(key).models.list())).toBe(200);
  redis = await startRedis(redis.port);
  // B's subscription reconnects (ioredis backs off up to 2 s) and B looks for what it missed.
  await soon(async () => (await statusOf(b.client(key).models.list())) === 401, 10_000, 250);
}, 30_000);
