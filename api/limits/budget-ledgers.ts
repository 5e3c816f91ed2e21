// Where budget ledgers live: spent and reserved amounts per budget and period. In memory by default;
// in Redis when REDIS_URL is set, so every replica reserves against the same numbers (one Lua script
// checks every budget of a call and reserves on all of them, or on none). A ledger starts from the
// usage records' sum (and the thresholds the audit trail says were told) the first time any process
// needs it, and ends with its period.
import type { Redis } from 'ioredis';

export interface Amount {
  usd: number;
  tokens: number;
}

export interface LedgerCheck {
  /** subject|period|period start: one ledger per budget and period. */
  id: string;
  capUsd?: number;
  capTokens?: number;
  /** When the ledger's period is over (ms since the epoch), or null for a total budget. */
  expiresAt: number | null;
  /** What was spent in the period before this ledger existed (read from the usage records). */
  loadSpent(): Promise<Amount>;
  /**
   * The thresholds (80, 100) already announced for this ledger (read from the audit trail): a ledger
   * started again (a restart, a Redis outage, Redis losing it) must not announce them a second time.
   */
  loadAnnounced(): Promise<number[]>;
}

export interface Refusal {
  /** Index of the first budget the estimate does not fit in, which cap, and what it had spent. */
  over: number;
  by: 'usd' | 'tokens';
  spent: Amount;
}

export interface LedgerStore {
  /** Reserves the estimate on every ledger, or on none and says which one refused. */
  reserve(checks: readonly LedgerCheck[], estimate: Amount): Promise<Refusal | null>;
  /**
   * Replaces the reservation with the real amount; returns each ledger's spending after it (null for
   * a ledger that is gone), or null when this settle (the same `settleId`) was already applied: a
   * retry after a lost reply is safe.
   */
  settle(checks: readonly LedgerCheck[], estimate: Amount, actual: Amount, settleId: string): Promise<Array<Amount | null> | null>;
  /** Marks a threshold as announced; true only for the first caller (across replicas with Redis). */
  markAnnounced(check: LedgerCheck, percent: number): Promise<boolean>;
}

function overBy(check: LedgerCheck, spent: Amount, reserved: Amount, estimate: Amount): Refusal['by'] | null {
  if (check.capUsd !== undefined && spent.usd + reserved.usd + estimate.usd > check.capUsd) return 'usd';
  if (check.capTokens !== undefined && spent.tokens + reserved.tokens + estimate.tokens > check.capTokens) return 'tokens';
  return null;
}

interface Ledger {
  spent: Amount;
  reserved: Amount;
  announced: Set<number>;
  expiresAt: number | null;
}

export class MemoryLedgers implements LedgerStore {
  readonly #ledgers = new Map<string, Ledger>();
  readonly #loading = new Map<string, Promise<Ledger>>();

  constructor(private readonly now: () => number) {}

  // Ledgers of periods that are over are dropped when a new one is made: one per budget and period lives.
  #sweep(): void {
    const now = this.now();
    for (const [id, ledger] of this.#ledgers) if (ledger.expiresAt !== null && ledger.expiresAt <= now) this.#ledgers.delete(id);
  }

  async #ledger(check: LedgerCheck): Promise<Ledger> {
    const ready = this.#ledgers.get(check.id);
    if (ready) return ready;
    let loading = this.#loading.get(check.id);
    if (!loading) {
      loading = Promise.all([check.loadSpent(), check.loadAnnounced()]).then(
        ([spent, announced]) => {
          this.#sweep();
          const ledger: Ledger = { spent, reserved: { usd: 0, tokens: 0 }, announced: new Set(announced), expiresAt: check.expiresAt };
          this.#ledgers.set(check.id, ledger);
          this.#loading.delete(check.id);
          return ledger;
        },
        (err: unknown) => {
          // Not remembered: the next call tries the database again.
          this.#loading.delete(check.id);
          throw err;
        },
      );
      this.#loading.set(check.id, loading);
    }
    return loading;
  }

  get size(): number {
    return this.#ledgers.size;
  }

  /** Forgets every ledger; the next reservation starts each again from the usage records. */
  clear(): void {
    this.#ledgers.clear();
  }

  async reserve(checks: readonly LedgerCheck[], estimate: Amount): Promise<Refusal | null> {
    const ledgers = await Promise.all(checks.map((check) => this.#ledger(check)));
    // Checked for all before any is reserved: a refusal leaves nothing behind.
    for (let i = 0; i < checks.length; i++) {
      const by = overBy(checks[i], ledgers[i].spent, ledgers[i].reserved, estimate);
      if (by) return { over: i, by, spent: { ...ledgers[i].spent } };
    }
    for (const ledger of ledgers) {
      ledger.reserved.usd += estimate.usd;
      ledger.reserved.tokens += estimate.tokens;
    }
    return null;
  }

  // Synchronous inside (no await before the work): the next reserve already sees the settled amount.
  // In memory a settle cannot half-fail, so it is never retried and needs no settleId.
  async settle(checks: readonly LedgerCheck[], estimate: Amount, actual: Amount): Promise<Array<Amount | null> | null> {
    return checks.map((check) => {
      const ledger = this.#ledgers.get(check.id);
      if (!ledger) return { ...actual };
      ledger.reserved.usd -= estimate.usd;
      ledger.reserved.tokens -= estimate.tokens;
      ledger.spent.usd += actual.usd;
      ledger.spent.tokens += actual.tokens;
      return { ...ledger.spent };
    });
  }

  async markAnnounced(check: LedgerCheck, percent: number): Promise<boolean> {
    const ledger = this.#ledgers.get(check.id);
    if (!ledger || ledger.announced.has(percent)) return false;
    ledger.announced.add(percent);
    return true;
  }
}

// KEYS: the ledgers. ARGV: estimate usd, tokens, then per ledger its usd cap and token cap (-1: none).
// Returns {'missing', i} when a ledger has not been started, {'over', i, 'usd'|'tokens', spent usd,
// spent tokens}, or {'ok'}.
const RESERVE = `
for i = 1, #KEYS do
  if redis.call('HEXISTS', KEYS[i], 'su') == 0 then return {'missing', i} end
end
local eu, et = tonumber(ARGV[1]), tonumber(ARGV[2])
for i = 1, #KEYS do
  local capu, capt = tonumber(ARGV[1 + i * 2]), tonumber(ARGV[2 + i * 2])
  local v = redis.call('HMGET', KEYS[i], 'su', 'st', 'ru', 'rt')
  local su, st, ru, rt = tonumber(v[1]) or 0, tonumber(v[2]) or 0, tonumber(v[3]) or 0, tonumber(v[4]) or 0
  if capu >= 0 and su + ru + eu > capu then return {'over', i, 'usd', tostring(su), tostring(st)} end
  if capt >= 0 and st + rt + et > capt then return {'over', i, 'tokens', tostring(su), tostring(st)} end
end
for i = 1, #KEYS do
  redis.call('HINCRBYFLOAT', KEYS[i], 'ru', eu)
  redis.call('HINCRBYFLOAT', KEYS[i], 'rt', et)
end
return {'ok'}`;

// KEYS: one ledger. ARGV: spent usd, spent tokens, expiry (ms since the epoch, 0: none), when the
// spending was read (ms since the epoch), then the thresholds already announced. First writer wins.
const START = `
if redis.call('HEXISTS', KEYS[1], 'su') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'su', ARGV[1], 'st', ARGV[2], 'ru', 0, 'rt', 0, 'at', ARGV[4])
for i = 5, #ARGV do redis.call('HSET', KEYS[1], 'announced' .. ARGV[i], '1') end
if tonumber(ARGV[3]) > 0 then redis.call('PEXPIREAT', KEYS[1], ARGV[3]) end
return 1`;

// KEYS: the settle's marker, then the ledgers. ARGV: estimate usd, tokens, actual usd, tokens, the
// marker's lifetime (ms), and for a catch-up when the call ended (ms since the epoch; 0 for a
// settle). Returns spent usd, tokens per ledger; nothing if the marker was already set (a retry of
// one that had been applied, its reply lost). A ledger Redis no longer has (it restarted without
// its data) is left alone and answers '-', '-': a half ledger made here would look started and
// never read the usage records; the next reservation starts it from them instead, and they hold
// this call too. A catch-up also leaves alone a ledger started after the call ended ('at'; a ledger
// without it predates the field): the usage records it was started from may hold the call.
const SETTLE = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[5]) then return {} end
local ended = tonumber(ARGV[6])
local out = {}
for i = 2, #KEYS do
  local at = redis.call('HGET', KEYS[i], 'at')
  if redis.call('HEXISTS', KEYS[i], 'su') == 1 and (ended == 0 or not at or tonumber(at) < ended) then
    redis.call('HINCRBYFLOAT', KEYS[i], 'ru', -tonumber(ARGV[1]))
    redis.call('HINCRBYFLOAT', KEYS[i], 'rt', -tonumber(ARGV[2]))
    out[#out + 1] = redis.call('HINCRBYFLOAT', KEYS[i], 'su', ARGV[3])
    out[#out + 1] = redis.call('HINCRBYFLOAT', KEYS[i], 'st', ARGV[4])
  else
    out[#out + 1] = '-'
    out[#out + 1] = '-'
  end
end
return out`;

// KEYS: one ledger. ARGV: the threshold's field. Sets it only on a started ledger: a hash made here
// would have no expiry, and would look like a ledger to nothing else. -1: not started; else HSETNX's reply.
const MARK_IF_STARTED = `
if redis.call('HEXISTS', KEYS[1], 'su') == 0 then return -1 end
return redis.call('HSETNX', KEYS[1], ARGV[1], '1')`;

// A day past the period's end, so a replica settling late still finds its ledger.
const GRACE_MS = 86_400_000;
// A settle's marker outlives every retry of it (they stop after a day at most).
const SETTLE_MARKER_MS = 2 * 86_400_000;

/** A SETTLE reply: null when its marker was already set, '-' for a ledger left alone. */
function amountsFrom(checks: readonly LedgerCheck[], reply: string[]): Array<Amount | null> | null {
  if (reply.length === 0) return null;
  return checks.map((_, i) => (reply[i * 2] === '-' ? null : { usd: Number(reply[i * 2]), tokens: Number(reply[i * 2 + 1]) }));
}

export class RedisLedgers implements LedgerStore {
  // One start per ledger in flight in this process: a burst on a cold ledger reads the database once.
  readonly #starting = new Map<string, Promise<void>>();

  constructor(private readonly redis: Redis) {}

  #start(check: LedgerCheck, key: string): Promise<void> {
    let starting = this.#starting.get(key);
    if (!starting) {
      starting = (async () => {
        // Taken before the read: a call that ended before it may be in the sum, one after it is not.
        const readAt = Date.now();
        const [spent, announced] = await Promise.all([check.loadSpent(), check.loadAnnounced()]);
        const expiresAt = check.expiresAt === null ? 0 : check.expiresAt + GRACE_MS;
        await this.redis.eval(START, 1, key, spent.usd, spent.tokens, expiresAt, readAt, ...announced);
      })().finally(() => this.#starting.delete(key));
      this.#starting.set(key, starting);
    }
    return starting;
  }

  #key(check: LedgerCheck): string {
    return `keyhold:budget:${check.id}`;
  }

  async reserve(checks: readonly LedgerCheck[], estimate: Amount): Promise<Refusal | null> {
    const keys = checks.map((check) => this.#key(check));
    const args = [estimate.usd, estimate.tokens, ...checks.flatMap((check) => [check.capUsd ?? -1, check.capTokens ?? -1])];
    // At most one start per ledger: a second 'missing' would mean Redis lost it, and the loop starts it again.
    for (let round = 0; round <= checks.length; round++) {
      const reply = (await this.redis.eval(RESERVE, keys.length, ...keys, ...args)) as Array<string | number>;
      if (reply[0] === 'ok') return null;
      const index = Number(reply[1]) - 1;
      if (reply[0] === 'over') return { over: index, by: reply[2] === 'usd' ? 'usd' : 'tokens', spent: { usd: Number(reply[3]), tokens: Number(reply[4]) } };
      await this.#start(checks[index], keys[index]);
    }
    throw new Error('budget ledgers could not be started in Redis');
  }

  async settle(checks: readonly LedgerCheck[], estimate: Amount, actual: Amount, settleId: string): Promise<Array<Amount | null> | null> {
    const keys = [`keyhold:budget-settle:${settleId}`, ...checks.map((check) => this.#key(check))];
    const reply = (await this.redis.eval(SETTLE, keys.length, ...keys, estimate.usd, estimate.tokens, actual.usd, actual.tokens, SETTLE_MARKER_MS, 0)) as string[];
    return amountsFrom(checks, reply);
  }

  /**
   * Adds what a call spent while Redis could not be reached (it reserved in this process's own
   * ledgers) to every ledger started before the call ended (`endedAt`, ms since the epoch): a ledger
   * started later read its spending from the usage records, which hold the call. Answers as settle()
   * does; a retry with the same `settleId` is a no-op.
   */
  async catchUp(checks: readonly LedgerCheck[], actual: Amount, endedAt: number, settleId: string): Promise<Array<Amount | null> | null> {
    const keys = [`keyhold:budget-settle:${settleId}`, ...checks.map((check) => this.#key(check))];
    // A settle without a reservation to release.
    const reply = (await this.redis.eval(SETTLE, keys.length, ...keys, 0, 0, actual.usd, actual.tokens, SETTLE_MARKER_MS, endedAt)) as string[];
    return amountsFrom(checks, reply);
  }

  async markAnnounced(check: LedgerCheck, percent: number): Promise<boolean> {
    return (await this.redis.hsetnx(this.#key(check), `announced${percent}`, '1')) === 1;
  }

  /** Marks a threshold announced elsewhere (set or not before); false when Redis holds no such ledger. */
  async markAnnouncedIfStarted(check: LedgerCheck, percent: number): Promise<boolean> {
    return (await this.redis.eval(MARK_IF_STARTED, 1, this.#key(check), `announced${percent}`)) !== -1;
  }
}
