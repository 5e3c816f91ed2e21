// The DATABASE_URL configuration on a real PostgreSQL, as it is meant to be run: two Keyhold
// processes (replicas) on one database. This process runs replica A (the test app); replica B is
// a standalone Keyhold in a child process, with the same identity (one root key, one session
// secret), as replicas of one Blocklet share theirs. Each checks something only a shared database
// can get wrong: what one replica writes the other serves, usage from both lands in one table,
// both appending to the audit chain at once still makes one unbroken chain, and a budget spent
// through one replica is spent for the other.
import fs from 'node:fs';
import type OpenAI from 'openai';
import { startPostgres, type TestPostgres } from '@tests/fixtures/postgres-server';
import { startGatewayHarness, type GatewayHarness } from '@tests/fixtures/gateway-setup';
import { startSecondReplica, type SecondReplica } from '@tests/fixtures/second-replica';
import { csvObjects, makeUsageRecord } from '@tests/fixtures/usage-records';
import { createUsageInserter } from '@api/usage/usage-rows';
import { UsageRecordRow } from '@api/models/usage-record';
import { AuditEvent } from '@api/models/audit-event';

let pg: TestPostgres;
/** Replica A, with the fake upstream every replica reaches. */
let h: GatewayHarness;
let b: SecondReplica;

const callB = (...args: Parameters<SecondReplica['call']>) => b.call(...args);
const createKeyOnB = (did: string) => b.createKey(did);
const onA = (apiKey: string) => h.client(apiKey);
const onB = (apiKey: string) => b.client(apiKey);

// A key made on one replica reaches the other's key index within its sync period (1 s). Calls made
// sooner would be refused as unknown keys, and a burst of those trips the failed-authentication lockout.
const KEY_SYNC_MS = 1500;
const waitForKeySync = () => new Promise((resolve) => setTimeout(resolve, KEY_SYNC_MS));

/** Polls until `check` passes: what another replica wrote is seen within its watcher's poll. */
async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

beforeAll(async () => {
  pg = await startPostgres();
  h = await startGatewayHarness({ env: { DATABASE_URL: pg.url } });
  b = await startSecondReplica(h, { DATABASE_URL: pg.url });
  // Made on A after B started: B learns of it from the database.
  await h.addAccount({ type: 'openai', name: 'pg-main', enabledModels: ['model-a'] });
}, 120_000);

afterAll(async () => {
  await b?.stop();
  await h?.close();
  await pg?.stop();
  if (h) fs.rmSync(h.app.dataDir, { recursive: true, force: true });
});

it('serves, on one replica, the account and key made through the other', async () => {
  const { id, key } = await createKeyOnB('z-pg-cross');
  await waitForKeySync();
  const answer = await onA(key).chat.completions.create({ model: 'pg-main/model-a', messages: [{ role: 'user', content: 'hi' }] });
  expect(answer.choices[0].message.content).toBe('Echo model-a: hi');
  const fromB = await onB(key).chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }] });
  expect(fromB.choices[0].message.content).toBe('Echo model-a: hi');
  // Revoked on A: B refuses it after its next key sync, with OpenAI's 401.
  const revoked = await h.app.call('DELETE', `/api/me/keys/${id}`, { headers: { authorization: `Bearer ${h.app.tokenFor('member', 'z-pg-cross')}` } });
  expect(revoked.status).toBe(200);
  await waitForKeySync();
  const status = await onB(key).models.list().then(() => 200, (err: { status?: number }) => err.status ?? 0);
  expect(status).toBe(401);
});

it('keeps the usage of calls through both replicas in one table', async () => {
  const since = new Date(Date.now() - 1000).toISOString();
  const { key, id } = await h.createKey('member', 'z-pg-usage');
  await waitForKeySync();
  const calls: Array<Promise<unknown>> = [];
  for (const openai of [onA(key), onB(key)]) {
    for (let i = 0; i < 4; i += 1) calls.push(openai.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }] }));
    calls.push(
      (async () => {
        const stream = await openai.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
        for await (const chunk of stream) void chunk;
      })(),
    );
  }
  await Promise.all(calls);
  await h.app.ctx.usageStore.flush();
  const until = new Date(Date.now() + 60_000).toISOString();
  const query = `since=${since}&until=${until}&interval=hour&groupBy=key`;
  // B's batch writer commits on its own timer.
  const summary = await eventually(async () => {
    const res = await h.app.call('GET', `/api/admin/usage?${query}`, { role: 'owner' });
    if (res.json?.totals?.requests !== 10) throw new Error(`usage shows ${res.json?.totals?.requests} of 10 calls`);
    return res.json;
  });
  expect(summary.totals).toEqual({ requests: 10, promptTokens: 10, completionTokens: 30, costUsd: expect.any(Number), errors: 0 });
  expect(summary.groups).toEqual([expect.objectContaining({ key: id, requests: 10 })]);
  expect(summary.series.reduce((n: number, bucket: { requests: number }) => n + bucket.requests, 0)).toBe(10);

  // The same records, whole, from the other replica's CSV export.
  const csv = await callB('GET', `/api/admin/usage?format=csv&${query}`, 'owner', 'z-pg-owner');
  expect(csv.status).toBe(200);
  const rows = csvObjects(csv.text);
  expect(rows).toHaveLength(10);
  expect(new Set(rows.map((row) => row.record_id)).size).toBe(10);
  expect(rows.filter((row) => row.stream === 'true')).toHaveLength(2);
  expect(rows.every((row) => row.status === '200' && row.key_id === id && row.account === 'pg-main')).toBe(true);
});

it('stores a replayed batch once (ON CONFLICT on record_id)', async () => {
  const insert = createUsageInserter(h.app.ctx.sequelize);
  const entries = [0, 1, 2].map((n) => ({ ...makeUsageRecord({ did: 'z-pg-replay', model: `model-${n}`, account: "it's \\'quoted\\" }), recordId: `replay-${n}-${Date.now()}` }));
  await insert(entries);
  await insert(entries); // what a replay after a crash does with records already committed
  const stored = await UsageRecordRow.findAll({ where: { did: 'z-pg-replay' }, order: [['model', 'ASC']] });
  expect(stored.map((row) => [row.model, row.account, row.stream, row.tokensEstimated])).toEqual([
    ['model-0', "it's \\'quoted\\", false, false],
    ['model-1', "it's \\'quoted\\", false, false],
    ['model-2', "it's \\'quoted\\", false, false],
  ]);
});

it('keeps one unbroken audit chain while both replicas append to it at once', async () => {
  const verify = () => h.app.call('GET', '/api/admin/audit/verify', { role: 'owner' });
  const before = (await verify()).json;
  const writes = Array.from({ length: 24 }, (_, n) => (n % 2 === 0 ? h.createKey('member', `z-pg-audit-${n}`) : createKeyOnB(`z-pg-audit-${n}`)));
  const failed = (await Promise.allSettled(writes)).filter((result) => result.status === 'rejected');
  expect(failed).toEqual([]);
  const after = await verify();
  expect(after.status).toBe(200);
  expect(after.json).toEqual(expect.objectContaining({ ok: true }));
  expect(after.json.events).toBe(before.events + 24);
  const fromB = await callB('GET', '/api/admin/audit/verify', 'owner', 'z-pg-owner');
  expect(fromB.status).toBe(200);
  expect(fromB.json).toEqual(after.json);
});

it('refuses, on one replica, a budget spent through the other', async () => {
  // Each call really spends 4 tokens (1 in, 3 out) and is estimated at its prompt plus max_tokens 1:
  // four calls spend 16 of the 20, and a fifth's estimate would pass the cap.
  const budget = { budget: { tokens: 20, period: 'day' } };
  const spent = await h.createKey('member', 'z-pg-budget', budget);
  const fresh = await h.createKey('member', 'z-pg-budget', budget);
  const chat = (client: OpenAI) =>
    client.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 }).then(
      () => '200',
      (err: { status?: number; code?: string }) => `${err.status} ${err.code}`,
    );
  const throughA: string[] = [];
  while (throughA.length < 10 && !throughA.includes('429 insufficient_quota')) throughA.push(await chat(onA(spent.key)));
  expect(throughA).toEqual(['200', '200', '200', '200', '429 insufficient_quota']);
  await h.app.ctx.usageStore.flush();

  // B has seen neither key's spending in memory: it reads the spent one's from the database.
  await waitForKeySync();
  expect(await chat(onB(fresh.key))).toBe('200');
  expect(await chat(onB(spent.key))).toBe('429 insufficient_quota');
});

it('does not announce again, on one replica, a budget threshold the other announced', async () => {
  // Each call really spends 4 tokens and is estimated at 8 at most: eight calls through A spend 32 of
  // the 40 (80%, told by A), and a ninth still fits.
  const { key, id } = await h.createKey('member', 'z-pg-told', { budget: { tokens: 40, period: 'day' } });
  const chat = (client: OpenAI) => client.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 });
  for (let i = 0; i < 8; i += 1) await chat(onA(key));
  const told = () => AuditEvent.count({ where: { action: 'budget.reached_80', targetId: `key:${id}` } });
  await eventually(async () => expect(await told()).toBe(1));
  await h.app.ctx.usageStore.flush();

  // B starts this budget's ledger from the database: 36 of 40 spent, past 80%, which A told already.
  await waitForKeySync();
  await chat(onB(key));
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(await told()).toBe(1);
});
