// Budget ledgers shared by replicas through a real redis-server: two BudgetBooks (two replicas) on
// one Redis reserve against the same numbers, read past spending once, announce each threshold
// once, and fall back to their own ledgers when Redis goes away. In memory, a ledger ends with its period.
import { Redis } from 'ioredis';
import type { Sequelize } from 'sequelize';
import { BudgetBook, type BudgetSpec } from '@api/limits/budgets';
import { MemoryLedgers, RedisLedgers, type LedgerCheck } from '@api/limits/budget-ledgers';
import { createLogger } from '@api/log';
import { startRedis, type TestRedis } from '@tests/fixtures/redis-server';
import { startGatewayHarness } from '@tests/fixtures/gateway-setup';

const log = createLogger({ level: 'silent' });

/** The usage records' sums (each read counted) and an audit trail that told nothing yet. */
function usageTable(spent: { usd: number; tokens: number }) {
  const reads: string[] = [];
  const sequelize = {
    query: async (sql: string, options: { replacements: { id: string } }) => {
      if (sql.includes('audit_events')) return [];
      reads.push(options.replacements.id);
      return [spent];
    },
  } as unknown as Sequelize;
  return { sequelize, reads };
}

type Settle = { settle(a: { usd: number; tokens: number }): void };
const settleAll = (outcomes: PromiseSettledResult<Settle>[], actual: { usd: number; tokens: number }) =>
  outcomes.forEach((o) => o.status === 'fulfilled' && o.value.settle(actual));
const nextTick = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('budget ledgers in Redis (two replicas)', () => {
  let server: TestRedis;
  let clients: Redis[] = [];
  const connect = async () => {
    const client = new Redis(server.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    await client.connect();
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    server = await startRedis();
  });
  afterEach(() => {
    for (const client of clients) client.disconnect();
    clients = [];
  });
  afterAll(() => server.stop());

  it('50 concurrent reservations split over two replicas: exactly the cap is admitted across both', async () => {
    const table = usageTable({ usd: 0, tokens: 0 });
    const a = new BudgetBook(table.sequelize, log, () => undefined, { redis: await connect() });
    const b = new BudgetBook(table.sequelize, log, () => undefined, { redis: await connect() });
    const spec: BudgetSpec = { subject: 'key:shared-50', label: 'key "shared"', tokens: 10, period: 'month', ownerDid: 'z' };
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).reserve([spec], { usd: 0, tokens: 1 })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ status: 429, code: 'insufficient_quota' });
    expect(String(refused.reason.message)).toContain('0 of its 10 tokens monthly budget');
    // Past spending was read from the usage records at most once per replica, not once per call.
    expect(table.reads.length).toBeGreaterThanOrEqual(1);
    expect(table.reads.length).toBeLessThanOrEqual(2);
  });

  it('what one replica settles, the other sees; each threshold is announced by one replica only', async () => {
    const table = usageTable({ usd: 0.5, tokens: 0 });
    const seen: string[] = [];
    const a = new BudgetBook(table.sequelize, log, (e) => seen.push(`a${e.percent}`), { redis: await connect() });
    const b = new BudgetBook(table.sequelize, log, (e) => seen.push(`b${e.percent}`), { redis: await connect() });
    const spec: BudgetSpec = { subject: 'user:z-shared', label: 'user z-shared', usd: 1, period: 'day', ownerDid: 'z-shared' };
    (await a.reserve([spec], { usd: 0.1, tokens: 0 })).settle({ usd: 0.35, tokens: 0 });
    await nextTick();
    // $0.85 spent: B cannot fit $0.2 more, but can fit $0.1.
    await expect(b.reserve([spec], { usd: 0.2, tokens: 0 })).rejects.toThrow('has used $0.8500 of its $1.00 daily budget');
    const both = await Promise.all([a.reserve([spec], { usd: 0.05, tokens: 0 }), b.reserve([spec], { usd: 0.05, tokens: 0 })]);
    both.forEach((r) => r.settle({ usd: 0.1, tokens: 0 }));
    await nextTick();
    // 80% was crossed by A's first call, 100% by one of the last two: each told once, by one replica.
    expect(seen.filter((s) => s.endsWith('80'))).toHaveLength(1);
    expect(seen.filter((s) => s.endsWith('100'))).toHaveLength(1);
    // The ledger lives in Redis until a day after its period.
    const keys = await clients[0].keys('keyhold:budget:user:z-shared|day|*');
    expect(keys).toHaveLength(1);
    const ttl = await clients[0].pttl(keys[0]);
    expect(ttl).toBeGreaterThan(86_400_000);
    expect(ttl).toBeLessThanOrEqual(2 * 86_400_000);
  });

  it('a reservation that fails on one budget reserves nothing on the others', async () => {
    const table = usageTable({ usd: 0, tokens: 0 });
    const book = new BudgetBook(table.sequelize, log, () => undefined, { redis: await connect() });
    const roomy: BudgetSpec = { subject: 'key:roomy', label: 'key "roomy"', tokens: 100, period: 'total', ownerDid: 'z' };
    const tight: BudgetSpec = { subject: 'user:tight', label: 'user tight', tokens: 3, period: 'total', ownerDid: 'z' };
    await expect(book.reserve([roomy, tight], { usd: 0, tokens: 5 })).rejects.toThrow('user tight');
    const fields = await clients[0].hgetall('keyhold:budget:key:roomy|total|1970-01-01T00:00:00.000Z');
    expect(Number(fields.rt)).toBe(0);
  });

  it('when Redis goes away, budgets keep holding in this process instead of failing', async () => {
    const own = await startRedis();
    const client = new Redis(own.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    await client.connect();
    client.on('error', () => undefined);
    const table = usageTable({ usd: 0, tokens: 0 });
    const book = new BudgetBook(table.sequelize, log, () => undefined, { redis: client });
    const spec: BudgetSpec = { subject: 'key:fallback', label: 'key "fallback"', tokens: 2, period: 'month', ownerDid: 'z' };
    await own.stop();
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => book.reserve([spec], { usd: 0, tokens: 1 })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
    settleAll(outcomes as PromiseSettledResult<Settle>[], { usd: 0, tokens: 1 });
    client.disconnect();
  });

  it('a settle that fails while Redis is unreachable is retried until it lands, and lands once', async () => {
    const client = await connect();
    client.on('error', () => undefined);
    const table = usageTable({ usd: 0, tokens: 0 });
    const book = new BudgetBook(table.sequelize, log, () => undefined, { redis: client });
    const spec: BudgetSpec = { subject: 'key:retry', label: 'key "retry"', tokens: 10, period: 'month', ownerDid: 'z' };
    const reservation = await book.reserve([spec], { usd: 0, tokens: 3 });
    const [key] = await clients[0].keys('keyhold:budget:key:retry|*');
    const observer = await connect();
    const ledger = async () => {
      const fields = await observer.hgetall(key);
      return { spent: Number(fields.st), reserved: Number(fields.rt) };
    };
    expect(await ledger()).toEqual({ spent: 0, reserved: 3 });

    client.disconnect();
    reservation.settle({ usd: 0, tokens: 2 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    // Not landed: the reservation still holds, the spending is not there yet.
    expect(await ledger()).toEqual({ spent: 0, reserved: 3 });

    await client.connect();
    for (let waited = 0; (await ledger()).reserved !== 0 && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await ledger()).toEqual({ spent: 2, reserved: 0 });
  });

  it('what calls spent while Redis was unreachable reaches the shared ledger once it is back, once; a later outage reads the usage records again', async () => {
    const client = await connect();
    client.on('error', () => undefined);
    const table = usageTable({ usd: 0, tokens: 0 });
    const book = new BudgetBook(table.sequelize, log, () => undefined, { redis: client });
    const spec: BudgetSpec = { subject: 'key:outage', label: 'key "outage"', tokens: 10, period: 'month', ownerDid: 'z' };
    (await book.reserve([spec], { usd: 0, tokens: 1 })).settle({ usd: 0, tokens: 1 });
    const observer = await connect();
    const [key] = await observer.keys('keyhold:budget:key:outage|*');
    const ledger = async () => {
      const fields = await observer.hgetall(key);
      return { spent: Number(fields.st), reserved: Number(fields.rt) };
    };
    for (let waited = 0; (await ledger()).spent !== 1 && waited < 2000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await ledger()).toEqual({ spent: 1, reserved: 0 });
    expect(table.reads).toHaveLength(1);

    client.disconnect();
    // Counted in this process meanwhile: its ledger starts from the usage records.
    const during = await Promise.all([book.reserve([spec], { usd: 0, tokens: 1 }), book.reserve([spec], { usd: 0, tokens: 1 })]);
    expect(table.reads).toHaveLength(2);
    for (const reservation of during) reservation.settle({ usd: 0, tokens: 3 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await ledger()).toEqual({ spent: 1, reserved: 0 });

    await client.connect();
    for (let waited = 0; (await ledger()).spent !== 7 && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await ledger()).toEqual({ spent: 7, reserved: 0 });
    // Back in Redis, the shared ledger refuses what would pass the cap: 7 + 4 > 10.
    await expect(book.reserve([spec], { usd: 0, tokens: 4 })).rejects.toMatchObject({ code: 'insufficient_quota' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await ledger()).toEqual({ spent: 7, reserved: 0 });

    // A second outage starts this process's ledger from the usage records again, not from the old one.
    client.disconnect();
    (await book.reserve([spec], { usd: 0, tokens: 1 })).settle({ usd: 0, tokens: 1 });
    expect(table.reads).toHaveLength(3);
  });

  it('a threshold announced here during an outage is not announced again once Redis is back, by this replica or another', async () => {
    const client = await connect();
    client.on('error', () => undefined);
    const spent = { usd: 0, tokens: 0 };
    const table = usageTable(spent);
    const told: string[] = [];
    const book = new BudgetBook(table.sequelize, log, (event) => told.push(`a:${event.percent}`), { redis: client });
    const other = new BudgetBook(table.sequelize, log, (event) => told.push(`b:${event.percent}`), { redis: await connect() });
    const spec: BudgetSpec = { subject: 'key:told-once', label: 'key "told"', tokens: 100, period: 'month', ownerDid: 'z' };
    const observer = await connect();
    const ledger = async () => Number((await observer.hgetall((await observer.keys('keyhold:budget:key:told-once|*'))[0] ?? 'none')).st ?? NaN);
    const until = async (done: () => Promise<boolean> | boolean) => {
      for (let waited = 0; !(await done()) && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    (await book.reserve([spec], { usd: 0, tokens: 10 })).settle({ usd: 0, tokens: 10 });
    await until(async () => (await ledger()) === 10);
    // The usage records hold those 10 by now: this process's own ledger starts from them.
    spent.tokens = 10;

    client.disconnect();
    (await book.reserve([spec], { usd: 0, tokens: 75 })).settle({ usd: 0, tokens: 75 });
    await until(() => told.length > 0);
    expect(told).toEqual(['a:80']);

    await client.connect();
    // The catch-up carries the shared ledger to 85%, past the 80% told during the outage.
    await until(async () => (await ledger()) === 85);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(told).toEqual(['a:80']);
    // The other replica passes 90%: 80% stays told; 100% is new, and told once.
    (await other.reserve([spec], { usd: 0, tokens: 5 })).settle({ usd: 0, tokens: 5 });
    await until(async () => (await ledger()) === 90);
    (await other.reserve([spec], { usd: 0, tokens: 10 })).settle({ usd: 0, tokens: 10 });
    await until(() => told.length > 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(told).toEqual(['a:80', 'b:100']);
  });

  it('when Redis lost the ledger during the outage, the threshold told here stays told, and no ledger is half made', async () => {
    const client = await connect();
    client.on('error', () => undefined);
    const spent = { usd: 0, tokens: 0 };
    const table = usageTable(spent);
    const told: number[] = [];
    const book = new BudgetBook(table.sequelize, log, (event) => told.push(event.percent), { redis: client });
    const spec: BudgetSpec = { subject: 'key:told-lost', label: 'key "lost"', tokens: 100, period: 'month', ownerDid: 'z' };
    const observer = await connect();
    const ledgerKeys = () => observer.keys('keyhold:budget:key:told-lost|*');
    (await book.reserve([spec], { usd: 0, tokens: 1 })).settle({ usd: 0, tokens: 1 });
    for (let waited = 0; (await ledgerKeys()).length === 0 && waited < 2000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));

    client.disconnect();
    (await book.reserve([spec], { usd: 0, tokens: 84 })).settle({ usd: 0, tokens: 84 });
    for (let waited = 0; told.length === 0 && waited < 2000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(told).toEqual([80]);
    // Redis comes back without the ledger (restarted without its data); the records hold all 85 tokens.
    await observer.flushall();
    spent.tokens = 85;
    await client.connect();
    await new Promise((resolve) => setTimeout(resolve, 600));
    // The catch-up and the mark left the lost ledger alone: no hash without an expiry.
    expect(await ledgerKeys()).toEqual([]);
    // Started again from the records at 85%, the next call passes 80% in Redis: not told again.
    (await book.reserve([spec], { usd: 0, tokens: 1 })).settle({ usd: 0, tokens: 1 });
    for (let waited = 0; Number((await observer.hgetall((await ledgerKeys())[0] ?? 'none')).st) !== 86 && waited < 2000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(told).toEqual([80]);
  });

  it('catches up only ledgers started before the call ended, and each catch-up once', async () => {
    const client = await connect();
    const ledgers = new RedisLedgers(client);
    const check: LedgerCheck = { id: 'key:catch-up|total|x', capTokens: 100, expiresAt: null, loadSpent: async () => ({ usd: 0, tokens: 10 }), loadAnnounced: async () => [] };
    const before = Date.now() - 1;
    expect(await ledgers.reserve([check], { usd: 0, tokens: 0 })).toBeNull();
    // Started after the call ended: the usage records it was read from hold the call already.
    expect(await ledgers.catchUp([check], { usd: 0, tokens: 5 }, before, 'catch-up-early')).toEqual([null]);
    const after = Date.now() + 1;
    expect(await ledgers.catchUp([check], { usd: 0.5, tokens: 5 }, after, 'catch-up-late')).toEqual([{ usd: 0.5, tokens: 15 }]);
    expect(await ledgers.catchUp([check], { usd: 0.5, tokens: 5 }, after, 'catch-up-late')).toBeNull();
    // A ledger Redis does not have is left for the usage records to start.
    const missing: LedgerCheck = { ...check, id: 'key:catch-up-missing|total|x' };
    expect(await ledgers.catchUp([missing], { usd: 0, tokens: 5 }, after, 'catch-up-missing')).toEqual([null]);
    expect(await client.exists('keyhold:budget:key:catch-up-missing|total|x')).toBe(0);
    const fields = await client.hgetall('keyhold:budget:key:catch-up|total|x');
    expect({ su: Number(fields.su), st: Number(fields.st), rt: Number(fields.rt) }).toEqual({ su: 0.5, st: 15, rt: 0 });
  });

  it('a settle for a ledger Redis lost leaves it for the usage records to start again, instead of a half ledger', async () => {
    const client = await connect();
    const ledgers = new RedisLedgers(client);
    let reads = 0;
    const check: LedgerCheck = { id: 'key:lost|total|x', capTokens: 100, expiresAt: null, loadSpent: async () => ((reads += 1), { usd: 0, tokens: 40 }), loadAnnounced: async () => [] };
    expect(await ledgers.reserve([check], { usd: 0, tokens: 5 })).toBeNull();
    expect(reads).toBe(1);
    // Redis restarted without its data between the reservation and the settle.
    await client.del('keyhold:budget:key:lost|total|x');
    expect(await ledgers.settle([check], { usd: 0, tokens: 5 }, { usd: 0, tokens: 4 }, 'settle-lost')).toEqual([null]);
    expect(await client.exists('keyhold:budget:key:lost|total|x')).toBe(0);
    // The next reservation starts the ledger from the usage records again.
    expect(await ledgers.reserve([check], { usd: 0, tokens: 5 })).toBeNull();
    expect(reads).toBe(2);
    expect(Number(await client.hget('keyhold:budget:key:lost|total|x', 'st'))).toBe(40);
  });

  it('starts a ledger with the thresholds the audit trail says were told, so they are not told again', async () => {
    const client = await connect();
    const ledgers = new RedisLedgers(client);
    const check: LedgerCheck = { id: 'key:told|total|x', capTokens: 100, expiresAt: null, loadSpent: async () => ({ usd: 0, tokens: 85 }), loadAnnounced: async () => [80] };
    expect(await ledgers.reserve([check], { usd: 0, tokens: 5 })).toBeNull();
    expect(await ledgers.markAnnounced(check, 80)).toBe(false);
    expect(await ledgers.markAnnounced(check, 100)).toBe(true);
    // In memory the same.
    const memory = new MemoryLedgers(() => Date.now());
    expect(await memory.reserve([check], { usd: 0, tokens: 5 })).toBeNull();
    expect(await memory.markAnnounced(check, 80)).toBe(false);
    expect(await memory.markAnnounced(check, 100)).toBe(true);
  });

  it('applies a settle id once: a retry after a lost reply changes nothing', async () => {
    const client = await connect();
    const ledgers = new RedisLedgers(client);
    const check: LedgerCheck = { id: 'key:once|total|x', capTokens: 100, expiresAt: null, loadSpent: async () => ({ usd: 0, tokens: 0 }), loadAnnounced: async () => [] };
    expect(await ledgers.reserve([check], { usd: 0, tokens: 5 })).toBeNull();
    expect(await ledgers.settle([check], { usd: 0, tokens: 5 }, { usd: 0.01, tokens: 4 }, 'settle-once')).toEqual([{ usd: 0.01, tokens: 4 }]);
    expect(await ledgers.settle([check], { usd: 0, tokens: 5 }, { usd: 0.01, tokens: 4 }, 'settle-once')).toBeNull();
    const fields = await client.hgetall('keyhold:budget:key:once|total|x');
    expect({ su: Number(fields.su), st: Number(fields.st), rt: Number(fields.rt) }).toEqual({ su: 0.01, st: 4, rt: 0 });
  });

  it('through /v1 with REDIS_URL: the key budget is kept in Redis and refuses with insufficient_quota', async () => {
    const h = await startGatewayHarness({ env: { REDIS_URL: server.url } });
    try {
      await h.addAccount({ type: 'openai', name: 'main', enabledModels: ['model-a'] });
      // Each call is estimated at 7 + 10 = 17 tokens and really uses 4: a 40-token budget admits two at once.
      const { key, id } = await h.createKey('member', 'z-redis-budget', { budget: { tokens: 40, period: 'day' } });
      const call = () =>
        fetch(`${h.app.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 }),
        }).then(async (res) => ({ status: res.status, json: (await res.json()) as { error?: { code: string } } }));
      h.fake.setMode({ kind: 'normal', delayMs: 300 });
      const burst = await Promise.all(Array.from({ length: 6 }, call));
      expect(burst.filter((r) => r.status === 200)).toHaveLength(2);
      expect(burst.find((r) => r.status === 429)!.json.error!.code).toBe('insufficient_quota');
      await nextTick();
      const client = await connect();
      const [ledger] = await client.keys(`keyhold:budget:key:${id}|day|*`);
      expect(await client.hmget(ledger, 'st', 'rt')).toEqual(['8', '0']);
    } finally {
      await h.close();
    }
  });
});

describe('budget ledgers in memory', () => {
  it('drop a ledger once its period is over, so they do not pile up', async () => {
    let now = Date.UTC(2026, 0, 1, 12);
    const ledgers = new MemoryLedgers(() => now);
    const check = (id: string, expiresAt: number | null): LedgerCheck => ({ id, capTokens: 10, expiresAt, loadSpent: async () => ({ usd: 0, tokens: 0 }), loadAnnounced: async () => [] });
    const dayEnd = Date.UTC(2026, 0, 2);
    await ledgers.reserve([check('key:a|day|2026-01-01', dayEnd), check('key:b|total|0', null)], { usd: 0, tokens: 1 });
    expect(ledgers.size).toBe(2);
    now = dayEnd + 1;
    await ledgers.reserve([check('key:a|day|2026-01-02', dayEnd + 86_400_000)], { usd: 0, tokens: 1 });
    // Yesterday's ledger is gone; the total one and today's remain.
    expect(ledgers.size).toBe(2);
  });
});
