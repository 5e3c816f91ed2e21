// The DATABASE_URL configuration on a real PostgreSQL, as it is meant to be run: two Keyhold
// processes (replicas) on one database. This process runs replica A (the test app); replica B is
// a standalone Keyhold in a child process, with the same identity (one root key, one session
// secret), as replicas of one Blocklet share theirs. Each checks something only a shared database
// can get wrong: what one replica writes the other serves, usage from both lands in one table,
// both appending to the audit chain at once still makes one unbroken chain, and a budget spent
// through one replica is spent for the other.
import fs from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import { startPostgres, type TestPostgres } from '@tests/fixtures/postgres-server';
import { makeDataDir, startTestApp, type TestApp } from '@tests/fixtures/test-app';
import { startKeyholdChild, type KeyholdChild } from '@tests/fixtures/keyhold-child';
import { startFakeUpstream, type FakeUpstream } from '@tests/fixtures/fake-upstream';
import { FAKE_ACCEPTED, GOOD_KEYS, buildFakeAccount } from '@tests/fixtures/fake-upstream/accounts';
import { csvObjects, makeUsageRecord } from '@tests/fixtures/usage-records';
import { createUsageInserter } from '@api/usage/usage-rows';
import { UsageRecordRow } from '@api/models/usage-record';

let pg: TestPostgres;
let fake: FakeUpstream;
let a: TestApp;
let b: KeyholdChild;
let dataDirB: string;

async function expectStatus(what: string, res: Promise<{ status: number; text: string; json: any }>, status: number): Promise<any> {
  const answer = await res;
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${answer.text}`);
  return answer.json;
}

/** Calls replica B's API with a login token replica A issued: one session secret for both. */
async function callB(method: string, urlPath: string, role: 'owner' | 'member', did: string, body?: unknown) {
  const res = await fetch(`${b.url}${urlPath}`, {
    method,
    headers: { authorization: `Bearer ${a.tokenFor(role, did)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : null;
  return { status: res.status, text, json };
}

const createKey = (app: 'a' | 'b', did: string, body: Record<string, unknown> = {}) =>
  app === 'a'
    ? a.call('POST', '/api/me/keys', { headers: { authorization: `Bearer ${a.tokenFor('member', did)}` }, body: { name: 'pg key', ...body } })
    : callB('POST', '/api/me/keys', 'member', did, { name: 'pg key', ...body });

const client = (url: string, apiKey: string) => new OpenAI({ apiKey, baseURL: `${url}/v1`, maxRetries: 0 });

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
  fake = await startFakeUpstream({ accept: FAKE_ACCEPTED });
  a = await startTestApp({ env: { DATABASE_URL: pg.url }, logLevel: 'info' });
  dataDirB = makeDataDir();
  fs.copyFileSync(path.join(a.dataDir, 'identity.json'), path.join(dataDirB, 'identity.json'));
  b = await startKeyholdChild(dataDirB, { DATABASE_URL: pg.url });

  const base = buildFakeAccount('openai', fake.url);
  const account = await expectStatus('create account', a.call('POST', '/api/admin/accounts', {
    role: 'owner', body: { name: 'pg-main', type: 'openai', baseUrl: base.baseUrl, enabledModels: ['model-a'] },
  }), 201);
  await expectStatus('create credential', a.call('POST', `/api/admin/accounts/${account.id}/credentials`, {
    role: 'owner', body: { name: 'main', type: 'api_key', value: { api_key: GOOD_KEYS.openai } },
  }), 201);
}, 120_000);

afterAll(async () => {
  b?.process.kill('SIGTERM');
  await b?.exited;
  await a?.close();
  await fake?.close();
  await pg?.stop();
  if (dataDirB) fs.rmSync(dataDirB, { recursive: true, force: true });
  if (a) fs.rmSync(a.dataDir, { recursive: true, force: true });
});

it('serves, on one replica, the account and key made through the other', async () => {
  const { key } = await expectStatus('create key on B', createKey('b', 'z-pg-cross'), 201);
  await waitForKeySync();
  const answer = await client(a.url, key).chat.completions.create({ model: 'pg-main/model-a', messages: [{ role: 'user', content: 'hi' }] });
  expect(answer.choices[0].message.content).toBe('Echo model-a: hi');
  const fromB = await client(b.url, key).chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }] });
  expect(fromB.choices[0].message.content).toBe('Echo model-a: hi');
  // Revoked on A: B refuses it after its next key sync, with OpenAI's 401.
  const keys = await a.call('GET', '/api/me/keys', { headers: { authorization: `Bearer ${a.tokenFor('member', 'z-pg-cross')}` } });
  const id = keys.json.data[0].id as string;
  await expectStatus('revoke on A', a.call('DELETE', `/api/me/keys/${id}`, { headers: { authorization: `Bearer ${a.tokenFor('member', 'z-pg-cross')}` } }), 200);
  await waitForKeySync();
  const status = await client(b.url, key).models.list().then(() => 200, (err: { status?: number }) => err.status ?? 0);
  expect(status).toBe(401);
});

it('keeps the usage of calls through both replicas in one table', async () => {
  const since = new Date(Date.now() - 1000).toISOString();
  const { key, id } = await expectStatus('create key', createKey('a', 'z-pg-usage'), 201);
  await waitForKeySync();
  const calls: Array<Promise<unknown>> = [];
  for (const url of [a.url, b.url]) {
    const openai = client(url, key);
    for (let i = 0; i < 4; i += 1) calls.push(openai.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }] }));
    calls.push(
      (async () => {
        const stream = await openai.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
        for await (const chunk of stream) void chunk;
      })(),
    );
  }
  await Promise.all(calls);
  await a.ctx.usageStore.flush();
  const until = new Date(Date.now() + 60_000).toISOString();
  const query = `since=${since}&until=${until}&interval=hour&groupBy=key`;
  // B's batch writer commits on its own timer.
  const summary = await eventually(async () => {
    const res = await a.call('GET', `/api/admin/usage?${query}`, { role: 'owner' });
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
  const insert = createUsageInserter(a.ctx.sequelize);
  const entries = [0, 1, 2].map((n) => ({ ...makeUsageRecord({ did: 'z-pg-replay', model: `model-${n}`, account: "it's quoted" }), recordId: `replay-${n}-${Date.now()}` }));
  await insert(entries);
  await insert(entries); // what a replay after a crash does with records already committed
  const stored = await UsageRecordRow.findAll({ where: { did: 'z-pg-replay' }, order: [['model', 'ASC']] });
  expect(stored.map((row) => [row.model, row.account, row.stream, row.tokensEstimated])).toEqual([
    ['model-0', "it's quoted", false, false],
    ['model-1', "it's quoted", false, false],
    ['model-2', "it's quoted", false, false],
  ]);
});

it('keeps one unbroken audit chain while both replicas append to it at once', async () => {
  const before = await expectStatus('verify', a.call('GET', '/api/admin/audit/verify', { role: 'owner' }), 200);
  const writes = Array.from({ length: 24 }, (_, n) => createKey(n % 2 === 0 ? 'a' : 'b', `z-pg-audit-${n}`));
  const statuses = (await Promise.all(writes)).map((res) => res.status);
  expect(statuses).toEqual(Array(24).fill(201));
  const after = await expectStatus('verify', a.call('GET', '/api/admin/audit/verify', { role: 'owner' }), 200);
  expect(after).toEqual(expect.objectContaining({ ok: true }));
  expect(after.events).toBe(before.events + 24);
  const fromB = await expectStatus('verify on B', callB('GET', '/api/admin/audit/verify', 'owner', 'z-pg-owner'), 200);
  expect(fromB).toEqual(after);
});

it('refuses, on one replica, a budget spent through the other', async () => {
  // Each call really spends 4 tokens (1 in, 3 out) and is estimated at its prompt plus max_tokens 1:
  // four calls spend 16 of the 20, and a fifth's estimate would pass the cap.
  const budget = { budget: { tokens: 20, period: 'day' } };
  const spent = await expectStatus('create key', createKey('a', 'z-pg-budget', budget), 201);
  const fresh = await expectStatus('create key', createKey('a', 'z-pg-budget', budget), 201);
  const chat = (url: string, key: string) =>
    client(url, key).chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 }).then(
      () => '200',
      (err: { status?: number; code?: string }) => `${err.status} ${err.code}`,
    );
  const onA: string[] = [];
  while (onA.length < 10 && !onA.includes('429 insufficient_quota')) onA.push(await chat(a.url, spent.key));
  expect(onA).toEqual(['200', '200', '200', '200', '429 insufficient_quota']);
  await a.ctx.usageStore.flush();

  // B has seen neither key's spending in memory: it reads the spent one's from the database.
  await waitForKeySync();
  expect(await chat(b.url, fresh.key)).toBe('200');
  expect(await chat(b.url, spent.key)).toBe('429 insufficient_quota');
});
