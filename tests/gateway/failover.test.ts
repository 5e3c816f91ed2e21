// Balancing and health with two credentials on one account: failover on 500 and on resets, cooldown
// after 429, disable after 401 (audited, re-checked back), no failover once bytes were streamed,
// timeouts, and a client that leaves aborting the upstream request.
import OpenAI from 'openai';
import { startGatewayHarness, type GatewayHarness } from '@tests/fixtures/gateway-setup';
import { FAKE_ACCEPTED, GOOD_KEYS } from '@tests/fixtures/fake-upstream/accounts';
import { AuditEvent } from '@api/models/audit-event';
import { Credential } from '@api/models/credential';
import type { UsageRecord } from '@api/audit/usage-record';

const KEY_A = GOOD_KEYS.openai;
const KEY_B = 'sk-fake-openai-second-0123456789abcdef';

let h: GatewayHarness;
let client: OpenAI;
let credA: string;
let credB: string;
const records: UsageRecord[] = [];

beforeAll(async () => {
  h = await startGatewayHarness({ accept: { accept: { ...FAKE_ACCEPTED, apiKeys: { ...FAKE_ACCEPTED.apiKeys, openai: [KEY_A, KEY_B] } } } });
  const created = await h.addAccount({
    type: 'openai',
    name: 'pair',
    enabledModels: ['model-a'],
    credentials: [
      { name: 'a', value: { api_key: KEY_A } },
      { name: 'b', value: { api_key: KEY_B } },
    ],
  });
  [credA, credB] = created.credentialIds;
  client = h.client((await h.createKey('member', 'z-member-failover')).key);
  h.app.ctx.usage.subscribe((record) => void records.push(record));
});
afterEach(() => {
  h.fake.setMode({ kind: 'normal' });
  h.fake.setModeFor(KEY_A, null);
  h.fake.setModeFor(KEY_B, null);
  h.app.ctx.gateway.health.restore(credA);
  h.app.ctx.gateway.health.restore(credB);
  records.length = 0;
});
afterAll(() => h.close());

const ask = (content = 'hi') => client.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content }] });
const keysSeen = (from: number) => h.fake.requests.slice(from).map((r) => (r.presentedCredential === `Bearer ${KEY_A}` ? 'a' : r.presentedCredential === `Bearer ${KEY_B}` ? 'b' : '?'));

it('alternates between two healthy credentials of equal weight', async () => {
  const start = h.fake.requests.length;
  for (let i = 0; i < 6; i += 1) await ask();
  expect(keysSeen(start).sort()).toEqual(['a', 'a', 'a', 'b', 'b', 'b']);
});

it.each([
  ['a 500', { kind: 'status', status: 500 } as const],
  ['a 503', { kind: 'status', status: 503 } as const],
  ['a connection reset', { kind: 'reset' } as const],
])('fails over to the other credential after %s', async (_label, mode) => {
  h.fake.setModeFor(KEY_A, mode);
  for (let i = 0; i < 4; i += 1) {
    const start = h.fake.requests.length;
    const completion = await ask();
    expect(completion.choices[0].message.content).toBe('Echo model-a: hi');
    expect(keysSeen(start).at(-1)).toBe('b');
  }
  expect(records.some((r) => r.attempts === 2 && r.credentialId === credB && r.status === 200)).toBe(true);
});

it('forwards each stream chunk as it arrives, not when the upstream is done', async () => {
  const gap = 120;
  h.fake.setMode({ kind: 'normal', chunkDelayMs: gap });
  const started = Date.now();
  const stream = await client.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }], stream: true });
  const arrivals: Array<{ at: number; text: string }> = [];
  for await (const chunk of stream) arrivals.push({ at: Date.now() - started, text: chunk.choices[0]?.delta.content ?? '' });
  const total = Date.now() - started;
  expect(arrivals.map((a) => a.text).join('')).toBe('Echo model-a: hi');
  const firstText = arrivals.find((a) => a.text !== '');
  // Several upstream chunks follow the first one, each `gap` ms apart: it reached the client long before the end.
  expect(arrivals.length).toBeGreaterThanOrEqual(3);
  expect(firstText && total - firstText.at).toBeGreaterThanOrEqual(gap);
  expect(new Set(arrivals.map((a) => Math.floor(a.at / gap))).size).toBeGreaterThanOrEqual(3);
});

it('fails over when a stream breaks before its first chunk reached the client', async () => {
  h.fake.setModeFor(KEY_A, { kind: 'reset-mid-stream', afterChunks: 0 });
  for (let i = 0; i < 2; i += 1) {
    const stream = await client.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Echo model-a: hi');
  }
});

it('puts a credential in cooldown after a 429, honouring Retry-After', async () => {
  h.fake.setModeFor(KEY_A, { kind: 'status', status: 429, headers: { 'retry-after': '30' } });
  const start = h.fake.requests.length;
  for (let i = 0; i < 6; i += 1) await ask();
  // A is tried once, answers 429, and is then left alone for 30 s.
  expect(keysSeen(start).filter((k) => k === 'a')).toHaveLength(1);
  expect(keysSeen(start).filter((k) => k === 'b')).toHaveLength(6);
});

it('answers 429 with Retry-After when every credential is rate limited', async () => {
  h.fake.setMode({ kind: 'status', status: 429, headers: { 'retry-after': '12' } });
  const error = (await ask().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
  expect(error).toBeInstanceOf(OpenAI.RateLimitError);
  expect(error.headers?.get('retry-after')).toBe('12');
});

it('disables a credential the upstream rejects with 401: audit event, stored status, re-check brings it back', async () => {
  h.fake.setModeFor(KEY_A, { kind: 'status', status: 401 });
  const start = h.fake.requests.length;
  for (let i = 0; i < 4; i += 1) expect((await ask()).choices[0].message.content).toBe('Echo model-a: hi');
  expect(keysSeen(start).filter((k) => k === 'a')).toHaveLength(1);
  await waitFor(async () => (await Credential.findByPk(credA))?.status === 'error');
  const row = await Credential.findByPk(credA);
  expect(row!.lastError).toContain('answered 401');
  const disabled = await AuditEvent.findAll({ where: { action: 'credential.disabled', targetId: credA } });
  expect(disabled).toHaveLength(1);
  expect(h.app.logs.some((line) => line.includes('Keyhold disabled a provider credential'))).toBe(true);

  // Still rejected: the re-check leaves it disabled.
  await h.app.ctx.gateway.recheck.runOnce();
  expect(h.app.ctx.gateway.health.isDisabled(credA)).toBe(true);
  // Accepted again: the re-check restores it, and it takes traffic again.
  h.fake.setModeFor(KEY_A, null);
  await h.app.ctx.gateway.recheck.runOnce();
  expect(h.app.ctx.gateway.health.isDisabled(credA)).toBe(false);
  expect((await Credential.findByPk(credA))!.status).toBe('active');
  expect(await AuditEvent.count({ where: { action: 'credential.recovered', targetId: credA } })).toBe(1);
  await h.app.ctx.changes.check();
  const again = h.fake.requests.length;
  for (let i = 0; i < 4; i += 1) await ask();
  expect(keysSeen(again)).toContain('a');
});

it('does not fail over once bytes were streamed: the stream ends with an error event', async () => {
  h.fake.setMode({ kind: 'error-mid-stream', afterChunks: 3, chunkDelayMs: 30 });
  const start = h.fake.requests.length;
  const stream = await client.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'a longer question' }], stream: true });
  let text = '';
  const error = await (async () => {
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  })().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  expect((error as Error).message).toContain('upstream pair');
  expect(text).toBe('Echo model-a: ');
  expect(h.fake.requests.length - start).toBe(1);
  expect(records[0]).toMatchObject({ status: 502, errorCode: 'ERR_GATEWAY_UPSTREAM', attempts: 1 });
});

it('ends a stream the upstream resets midway with an error event, without retrying', async () => {
  h.fake.setMode({ kind: 'reset-mid-stream', afterChunks: 2, chunkDelayMs: 30 });
  const start = h.fake.requests.length;
  const stream = await client.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }], stream: true });
  const error = await (async () => {
    for await (const chunk of stream) void chunk;
  })().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  expect(h.fake.requests.length - start).toBe(1);
});

it('bounds the attempts and answers 502 when every credential fails', async () => {
  h.fake.setMode({ kind: 'status', status: 500 });
  const start = h.fake.requests.length;
  const error = (await ask().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
  expect(error.status).toBe(502);
  expect(error.message).toContain('answered 500');
  expect(h.fake.requests.length - start).toBe(2);
});

it('answers 504 when the upstream does not answer within the account timeout', async () => {
  const account = h.app.ctx.gateway.catalog.snapshot.accounts.get('pair')!;
  const patched = await h.app.call('PATCH', `/api/admin/accounts/${account.id}`, { role: 'owner', body: { timeoutMs: 200 } });
  expect(patched.status).toBe(200);
  h.fake.setMode({ kind: 'normal', delayMs: 1000 });
  const error = (await ask().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
  expect(error.status).toBe(504);
  expect(error.message).toContain('did not answer within 200 ms');
  await h.app.call('PATCH', `/api/admin/accounts/${account.id}`, { role: 'owner', body: { timeoutMs: null } });
});

it('aborts the upstream request when the client disconnects mid-stream', async () => {
  h.fake.setMode({ kind: 'normal', chunkDelayMs: 300 });
  const abortsBefore = h.fake.requests.filter((r) => r.aborted).length;
  const controller = new AbortController();
  const stream = await client.chat.completions.create(
    { model: 'model-a', messages: [{ role: 'user', content: 'a slow and long answer please' }], stream: true },
    { signal: controller.signal },
  );
  for await (const chunk of stream) {
    void chunk;
    controller.abort();
  }
  await h.fake.waitForAborts(abortsBefore + 1);
  await waitFor(async () => records.length === 1);
  expect(records[0].status).toBe(499);
});

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
