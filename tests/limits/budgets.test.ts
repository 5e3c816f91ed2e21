// Budgets and prices: cost = price table x real tokens; concurrent calls against a nearly spent
// budget overshoot by no more than the reservations in flight; 80%/100% are announced once;
// the price table API is admin-only and validated.
import { startGatewayHarness, type GatewayHarness } from '@tests/fixtures/gateway-setup';
import { BudgetBook, type BudgetSpec } from '@api/limits/budgets';
import { createLogger } from '@api/log';
import { AuditEvent } from '@api/models/audit-event';
import type { UsageRecord } from '@api/audit/usage-record';
import type { Sequelize } from 'sequelize';

const call = (h: GatewayHarness, key: string, extra: Record<string, unknown> = {}) =>
  fetch(`${h.app.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10, ...extra }),
  }).then(async (res) => ({ status: res.status, json: (await res.json()) as { error?: { code: string; message: string } } }));

describe('budgets through /v1', () => {
  let h: GatewayHarness;
  const records: UsageRecord[] = [];
  beforeAll(async () => {
    h = await startGatewayHarness();
    await h.addAccount({ type: 'openai', name: 'main', enabledModels: ['model-a'] });
    // $1000 per million tokens in and out: a call of 1 + 3 real tokens costs $0.004.
    const put = await h.app.call('PUT', '/api/admin/prices', { role: 'owner', body: { data: { 'model-a': { input: 1000, output: 1000 } } } });
    expect(put.status).toBe(200);
    h.app.ctx.usage.subscribe((record) => void records.push(record));
  });
  afterEach(() => h.fake.setMode({ kind: 'normal' }));
  afterAll(() => h.close());

  it('prices each call from the table and the real tokens', async () => {
    const { key } = await h.createKey('member', 'z-priced');
    records.length = 0;
    expect((await call(h, key)).status).toBe(200);
    expect(records[0]).toMatchObject({ promptTokens: 1, completionTokens: 3 });
    expect(records[0].costUsd).toBeCloseTo(0.004, 10);
  });

  it('50 concurrent calls against a nearly spent budget: no more than the in-flight reservations get through', async () => {
    // Estimate per call: 7 prompt tokens + max_tokens 10 = 17 tokens = $0.017; real: $0.004.
    const { key, id } = await h.createKey('member', 'z-budget', { budget: { usd: 0.05, period: 'month' } });
    for (let i = 0; i < 6; i += 1) expect((await call(h, key)).status).toBe(200);
    records.length = 0;
    h.fake.setMode({ kind: 'normal', delayMs: 500 });
    const results = await Promise.all(Array.from({ length: 50 }, () => call(h, key)));
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 429);
    // $0.024 spent; one more estimate of $0.017 fits under $0.05, a second only once an earlier call has
    // settled at its real $0.004 (a slow machine can let that happen within the burst).
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(ok.length).toBeLessThanOrEqual(6);
    expect(refused).toHaveLength(50 - ok.length);
    expect(refused[0].json.error).toMatchObject({ code: 'insufficient_quota' });
    expect(refused[0].json.error!.message).toContain('key "test key"');
    expect(refused[0].json.error!.message).toContain('monthly budget');
    const spent = 6 * 0.004 + records.filter((r) => r.keyId === id).reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
    expect(spent).toBeLessThanOrEqual(0.05);
  });

  it('announces when a budget passes 80%, with an audit event, then refuses what would pass it', async () => {
    const { key, id } = await h.createKey('member', 'z-alert', { budget: { tokens: 16, period: 'day' } });
    // Six words: estimated at 12 prompt tokens + max_tokens 1; really 6 in + 8 out = 14 (87.5%).
    const words = { messages: [{ role: 'user', content: 'a b c d e f' }], max_tokens: 1 };
    expect((await call(h, key, words)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await AuditEvent.count({ where: { action: 'budget.reached_80', targetId: `key:${id}` } })).toBe(1);
    expect(await AuditEvent.count({ where: { action: 'budget.reached_100', targetId: `key:${id}` } })).toBe(0);
    expect(h.app.logs.some((line) => line.includes('80% used'))).toBe(true);
    const refused = await call(h, key, words);
    expect(refused.json.error).toMatchObject({ code: 'insufficient_quota' });
    expect(refused.json.error!.message).toContain('14 of its 16 tokens daily budget');
  });

  it('does not announce a threshold again after a restart: a fresh ledger reads what was told from the audit trail', async () => {
    const { key, id } = await h.createKey('member', 'z-told', { budget: { tokens: 16, period: 'day' } });
    const words = { messages: [{ role: 'user', content: 'a b c d e f' }], max_tokens: 1 };
    expect((await call(h, key, words)).status).toBe(200); // 14 of 16 tokens: 80% told
    await h.app.ctx.usageStore.flush();
    for (let waited = 0; (await AuditEvent.count({ where: { targetId: `key:${id}` } })) === 0 && waited < 2000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    const told: string[] = [];
    const fresh = new BudgetBook(h.app.ctx.sequelize, createLogger({ level: 'silent' }), ({ spec, percent }) => void told.push(`${spec.period}:${percent}`));
    const day: BudgetSpec = { subject: `key:${id}`, label: 'key', tokens: 16, period: 'day', ownerDid: 'z-told' };
    const settle = async (spec: BudgetSpec, tokens: number) => {
      (await fresh.reserve([spec], { usd: 0, tokens: 1 })).settle({ usd: 0, tokens });
      await new Promise((r) => setTimeout(r, 50));
    };
    await settle(day, 1); // 15 of 16: past 80%, which was told before the "restart"
    expect(told).toEqual([]);
    await settle(day, 2); // 17 of 16: 100% was not told yet
    expect(told).toEqual(['day:100']);
    // The same key's monthly budget is another ledger: what its daily one told does not count for it.
    await settle({ ...day, period: 'month' }, 1); // 15 of 16 this month, from the usage records
    expect(told).toEqual(['day:100', 'month:80']);
  });

  it('counts what was spent before a restart: a fresh ledger reads it from the usage records', async () => {
    const { key, id } = await h.createKey('member', 'z-restart');
    for (let i = 0; i < 3; i += 1) expect((await call(h, key)).status).toBe(200);
    await h.app.ctx.usageStore.flush();
    const fresh = new BudgetBook(h.app.ctx.sequelize, createLogger({ level: 'silent' }), () => undefined);
    const spec = { subject: `key:${id}`, label: 'key', usd: 0.013, period: 'month' as const, ownerDid: 'z-restart' };
    // $0.012 already spent (3 x $0.004): a $0.002 estimate no longer fits under $0.013.
    await expect(fresh.reserve([spec], { usd: 0.002, tokens: 0 })).rejects.toThrow('Budget exhausted');
    await expect(fresh.reserve([spec], { usd: 0.0005, tokens: 0 })).resolves.toBeDefined();
  });

  it('lets only admins read or replace the price table, and validates it', async () => {
    expect((await h.app.call('GET', '/api/admin/prices', { role: 'member' })).status).toBe(403);
    const bad = await h.app.call('PUT', '/api/admin/prices', { role: 'owner', body: { data: { 'model-a': { input: -1, output: 1 } } } });
    expect(bad.status).toBe(400);
    const table = await h.app.call('GET', '/api/admin/prices', { role: 'admin' });
    expect(table.json.data['model-a']).toEqual({ input: 1000, output: 1000 });
    expect(await AuditEvent.count({ where: { action: 'prices.updated' } })).toBe(1);
  });
});

describe('BudgetBook', () => {
  const sequelize = { query: async () => [{ usd: 0, tokens: 0 }] } as unknown as Sequelize;
  const log = createLogger({ level: 'silent' });

  it('overshoots by no more than what the reservations in flight underestimated', async () => {
    const book = new BudgetBook(sequelize, log, () => undefined);
    const spec = { subject: 'key:k', label: 'key "k"', tokens: 5, period: 'total' as const, ownerDid: 'z' };
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => book.reserve([spec], { tokens: 1, usd: 0 })));
    const admitted = outcomes.filter((o) => o.status === 'fulfilled');
    expect(admitted).toHaveLength(5);
    // Each used 3, not the 1 reserved: 15 spent, over by exactly the in-flight underestimate 5 x 2.
    for (const o of admitted) (o as PromiseFulfilledResult<{ settle(a: { tokens: number; usd: number }): void }>).value.settle({ tokens: 3, usd: 0 });
    await expect(book.reserve([spec], { tokens: 1, usd: 0 })).rejects.toThrow('Budget exhausted');
  });

  it('does not announce what another replica on the same database told after its own ledger started', async () => {
    // Replicas without Redis: each counts in its own ledgers, and the audit trail is what they share.
    const events: Array<{ action: string; after: string }> = [];
    const db = { query: async (sql: string) => (sql.includes('audit_events') ? [...events] : [{ usd: 0, tokens: 0 }]) } as unknown as Sequelize;
    const told: string[] = [];
    const replica = (name: string) =>
      new BudgetBook(db, log, ({ spec, percent, periodStart }) => {
        told.push(`${name}:${percent}`);
        events.push({ action: `budget.reached_${percent}`, after: JSON.stringify({ percent, period: spec.period, periodStart }) });
      });
    const [a, b] = [replica('a'), replica('b')];
    const spec = { subject: 'key:r', label: 'key "r"', tokens: 10, period: 'total' as const, ownerDid: 'z' };
    // Both ledgers start before anything was told.
    const [onA, onB] = [await a.reserve([spec], { tokens: 1, usd: 0 }), await b.reserve([spec], { tokens: 1, usd: 0 })];
    onA.settle({ tokens: 8, usd: 0 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    onB.settle({ tokens: 8, usd: 0 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(told).toEqual(['a:80']);
  });

  it('fails closed when spending cannot be read, and retries the database on the next call', async () => {
    let fail = true;
    const flaky = { query: async () => { if (fail) throw new Error('database is locked'); return [{ usd: 0.9, tokens: 0 }]; } } as unknown as Sequelize;
    const book = new BudgetBook(flaky, log, () => undefined);
    const spec = { subject: 'key:f', label: 'key "f"', usd: 1, period: 'month' as const, ownerDid: 'z' };
    await expect(book.reserve([spec], { tokens: 0, usd: 0.05 })).rejects.toMatchObject({ status: 503, code: 'ERR_LIMITS_BUDGET_UNAVAILABLE' });
    fail = false;
    await expect(book.reserve([spec], { tokens: 0, usd: 0.2 })).rejects.toThrow('Budget exhausted');
    await expect(book.reserve([spec], { tokens: 0, usd: 0.05 })).resolves.toBeDefined();
  });

  it('announces each threshold once', async () => {
    const seen: number[] = [];
    const book = new BudgetBook(sequelize, log, (event) => seen.push(event.percent));
    const spec = { subject: 'key:t', label: 'key "t"', usd: 1, period: 'day' as const, ownerDid: 'z' };
    for (const usd of [0.5, 0.35, 0.1, 0.1]) (await book.reserve([spec], { tokens: 0, usd: 0 })).settle({ tokens: 0, usd });
    // Announced off the call's path (the ledger may be in Redis): after the settles' promises.
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([80, 100]);
  });
});
