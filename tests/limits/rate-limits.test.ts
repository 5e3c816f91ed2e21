// Rate limits under concurrency, against the in-memory store and against a real redis-server:
// exactly the allowed number of calls pass, the rest get 429 with OpenAI's headers; tokens per
// minute cut a burst at the right call; requests in flight per user; role defaults.
import { startGatewayHarness, type GatewayHarness } from '@tests/fixtures/gateway-setup';
import { startRedis, type TestRedis } from '@tests/fixtures/redis-server';

const body = (extra: Record<string, unknown> = {}) => JSON.stringify({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }], ...extra });

function callWith(h: GatewayHarness, key: string, extra: Record<string, unknown> = {}) {
  return fetch(`${h.app.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body(extra) }).then(async (res) => ({
    status: res.status,
    headers: res.headers,
    json: (await res.json()) as { error?: { code: string; message: string } },
  }));
}

describe.each([
  ['memory', false],
  ['redis', true],
])('requests per minute (%s store)', (_store, useRedis) => {
  let h: GatewayHarness;
  let redis: TestRedis | null = null;
  beforeAll(async () => {
    redis = useRedis ? await startRedis() : null;
    h = await startGatewayHarness({ env: redis ? { REDIS_URL: redis.url } : {} });
    await h.addAccount({ type: 'openai', name: 'main', enabledModels: ['model-a'] });
  });
  afterAll(async () => {
    await h.close();
    await redis?.stop();
  });

  it('lets exactly 10 of 100 concurrent calls through a 10 rpm key; 90 get 429 with headers', async () => {
    const { key } = await h.createKey('member', 'z-rpm-user', { rpm: 10 });
    const before = h.fake.requests.length;
    const results = await Promise.all(Array.from({ length: 100 }, () => callWith(h, key)));
    const ok = results.filter((r) => r.status === 200);
    const limited = results.filter((r) => r.status === 429);
    expect(ok).toHaveLength(10);
    expect(limited).toHaveLength(90);
    expect(h.fake.requests.length - before).toBe(10);
    for (const r of limited) {
      expect(r.json.error!.code).toBe('ERR_LIMITS_RATE_LIMITED');
      expect(r.json.error!.message).toContain('10 requests per minute');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(r.headers.get('x-ratelimit-limit-requests')).toBe('10');
      expect(r.headers.get('x-ratelimit-remaining-requests')).toBe('0');
      expect(r.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+(ms|s|m\d+s)$/);
    }
    for (const r of ok) {
      expect(r.headers.get('x-ratelimit-limit-requests')).toBe('10');
      expect(Number(r.headers.get('x-ratelimit-remaining-requests'))).toBeLessThan(10);
    }
    expect(new Set(ok.map((r) => r.headers.get('x-ratelimit-remaining-requests')))).toEqual(new Set(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']));
  });
});

describe('tokens per minute and requests in flight', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGatewayHarness();
    await h.addAccount({ type: 'openai', name: 'main', enabledModels: ['model-a'] });
  });
  afterEach(() => h.fake.setMode({ kind: 'normal' }));
  afterAll(() => h.close());

  it('refuses at once a call whose estimate alone is over the limit, and says it is about tokens', async () => {
    const { key } = await h.createKey('member', 'z-tpm-1', { tpm: 100 });
    const res = await callWith(h, key, { max_tokens: 500 });
    expect(res.status).toBe(429);
    expect(res.json.error!.message).toContain('100 tokens per minute');
    expect(res.headers.get('x-ratelimit-limit-tokens')).toBe('100');
  });

  it('cuts a burst at the right call, then corrects each estimate with the real usage', async () => {
    // Each call is estimated at 7 prompt tokens + max_tokens 20 = 27 and really uses 4 (1 in, 3 out).
    const { key } = await h.createKey('member', 'z-tpm-2', { tpm: 100 });
    // Long enough that no call of the burst settles before the last one is admitted, even on a busy machine.
    h.fake.setMode({ kind: 'normal', delayMs: 1000 });
    const burst = await Promise.all(Array.from({ length: 10 }, () => callWith(h, key, { max_tokens: 20 })));
    expect(burst.filter((r) => r.status === 200)).toHaveLength(3);
    expect(burst.filter((r) => r.status === 429)).toHaveLength(7);
    // After the three answered, 3 x 4 = 12 tokens are counted, not 81: 3 more estimates of 27 fit.
    h.fake.setMode({ kind: 'normal' });
    const after = await callWith(h, key, { max_tokens: 20 });
    expect(after.status).toBe(200);
    expect(Number(after.headers.get('x-ratelimit-remaining-tokens'))).toBe(100 - 12 - 27);
  });

  it("estimates a prompt that spells out the tokenizer's special tokens as text, instead of failing the call", async () => {
    const { key } = await h.createKey('member', 'z-tpm-special', { tpm: 100_000 });
    const messages = [{ role: 'user', content: 'What do <|endoftext|> and <|im_start|>user<|im_end|> mean?' }];
    for (const stream of [false, true]) {
      const res = await fetch(`${h.app.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'model-a', messages, stream }),
      });
      expect([stream, res.status]).toEqual([stream, 200]);
      expect(await res.text()).toContain('endoftext');
    }
  });

  it('limits the requests a user has in flight (role default), and frees the slot when a call ends', async () => {
    const put = await h.app.call('PUT', '/api/admin/settings', { role: 'owner', body: { defaultLimits: { guest: { concurrency: 2 } } } });
    expect(put.status).toBe(200);
    await h.app.call('POST', '/api/admin/rules', { role: 'owner', body: { models: ['main/*'], roles: ['guest'], effect: 'allow' } });
    const { key } = await h.createKey('guest', 'z-guest-busy');
    // Long enough that no call of the burst settles before the last one is admitted, even on a busy machine.
    h.fake.setMode({ kind: 'normal', delayMs: 1000 });
    const results = await Promise.all(Array.from({ length: 5 }, () => callWith(h, key)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(3);
    expect(refused[0].json.error!.message).toContain('2 requests in flight');
    h.fake.setMode({ kind: 'normal' });
    expect((await callWith(h, key)).status).toBe(200);
  });

  it('applies a role’s requests-per-minute default to each user across all their keys', async () => {
    await h.app.call('PUT', '/api/admin/settings', { role: 'owner', body: { defaultLimits: { member: { rpm: 3 } } } });
    const a = await h.createKey('member', 'z-role-rpm');
    const b = await h.createKey('member', 'z-role-rpm');
    const statuses = [];
    for (const key of [a.key, b.key, a.key, b.key]) statuses.push((await callWith(h, key)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    await h.app.call('PUT', '/api/admin/settings', { role: 'owner', body: { defaultLimits: {} } });
  });

  it('refuses invalid limit settings with a 400 naming the field, changing nothing', async () => {
    const before = (await h.app.call('GET', '/api/admin/settings', { role: 'owner' })).json;
    const bad = await h.app.call('PUT', '/api/admin/settings', { role: 'owner', body: { defaultLimits: { member: { rpm: -1 } } } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.param).toBe('defaultLimits.member.rpm');
    const member = await h.app.call('PUT', '/api/admin/settings', { role: 'member', body: { defaultLimits: {} } });
    expect(member.status).toBe(403);
    expect((await h.app.call('GET', '/api/admin/settings', { role: 'owner' })).json).toEqual(before);
  });
});
