// Token and cost budgets per key and per user, per day, month or in total. Before a call its
// estimate is reserved; after, the reservation is replaced by the real amount. A call is refused
// when spent + reserved + its estimate would pass the cap, so N concurrent calls overshoot by at
// most what the calls already in flight use beyond their estimates. Spending so far is read from
// the usage records once per budget and period, then kept in a ledger: in memory, or in Redis so
// replicas share it (budget-ledgers.ts).
import crypto from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import { BudgetExhausted, BudgetUnavailable } from '../errors';
import type { Logger } from '../log';
import type { Redis } from 'ioredis';
import { MemoryLedgers, RedisLedgers, type Amount, type LedgerCheck, type LedgerStore, type Refusal } from './budget-ledgers';
import { THRESHOLDS, announcedThresholds } from './budget-alerts';

export type { Amount } from './budget-ledgers';

export interface BudgetSpec {
  /** key:<id> or user:<did>. */
  subject: string;
  label: string;
  usd?: number;
  tokens?: number;
  period: 'day' | 'month' | 'total';
  /** Whose budget it is (told at 80% and 100%). */
  ownerDid: string;
}

export interface BudgetThreshold {
  spec: BudgetSpec;
  percent: 80 | 100;
  spent: Amount;
  /** The start of the period whose ledger crossed it (ISO 8601): with the spec, which ledger. */
  periodStart: string;
}

/** A ledger check with the period it belongs to, for the announcement. */
interface BudgetCheck extends LedgerCheck {
  periodStart: string;
}

export interface BudgetReservation {
  settle(actual: Amount): void;
}

function periodStart(period: BudgetSpec['period'], now: Date): Date {
  if (period === 'day') return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (period === 'month') return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return new Date(0);
}

function periodEnd(period: BudgetSpec['period'], now: Date): Date | null {
  if (period === 'total') return null;
  const start = periodStart(period, now);
  return period === 'day' ? new Date(start.getTime() + 86_400_000) : new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

function nextPeriodSeconds(period: BudgetSpec['period'], now: Date): number | null {
  const next = periodEnd(period, now);
  return next === null ? null : Math.ceil((next.getTime() - now.getTime()) / 1000);
}

function fraction(spec: BudgetSpec, amount: Amount): number {
  const parts = [spec.usd ? amount.usd / spec.usd : 0, spec.tokens ? amount.tokens / spec.tokens : 0];
  return Math.max(...parts);
}

function formatUsd(value: number): string {
  return `$${value.toFixed(value < 1 ? 4 : 2)}`;
}

function exhausted(spec: BudgetSpec, refusal: Refusal, now: Date): BudgetExhausted {
  const { spent } = refusal;
  const what = refusal.by === 'usd' ? `${formatUsd(spent.usd)} of its ${formatUsd(spec.usd ?? 0)}` : `${spent.tokens} of its ${spec.tokens} tokens`;
  const period = spec.period === 'total' ? 'total' : `${spec.period === 'day' ? 'daily' : 'monthly'}`;
  return new BudgetExhausted(`Budget exhausted: ${spec.label} has used ${what} ${period} budget.`, nextPeriodSeconds(spec.period, now));
}

export interface BudgetBookOptions {
  now?: () => Date;
  /** Shared ledgers for every replica; without it, ledgers live in this process. */
  redis?: Redis | null;
}

// A settle that failed is tried again after this long, then twice as long each time, up to MAX_RETRY_MS,
// for at most MAX_RETRY_SPAN_MS (and never past its ledgers' period).
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 30_000;
const MAX_RETRY_SPAN_MS = 86_400_000;

interface PendingSettle {
  store: LedgerStore;
  specs: readonly BudgetSpec[];
  checks: readonly BudgetCheck[];
  /** One try; every try carries the same settle id, so a retry after a lost reply is a no-op. */
  apply(): Promise<Array<Amount | null> | null>;
  /** A reservation's settle, or the catch-up of the shared ledgers after a call Redis missed. */
  kind: 'settle' | 'catch-up';
  /** Retries stop here (ms since the epoch). */
  giveUpAt: number;
}

const GIVEN_UP: Record<PendingSettle['kind'], string> = {
  settle: 'a budget reservation could not be settled; it holds until its period ends',
  'catch-up': 'spending counted in this process while Redis was unreachable could not be added to the shared budget ledgers',
};

export class BudgetBook {
  readonly #memory: MemoryLedgers;
  readonly #shared: RedisLedgers | null;
  /** Set while calls reserve in this process's ledgers because Redis did not answer. */
  #fellBack = false;
  /**
   * Thresholds this process announced from its own ledgers while Redis was unreachable (ledger id ->
   * percents), not yet marked in the shared ledgers. Once Redis is back, the calls' catch-up would
   * carry the shared ledger past the same threshold, and it would be announced a second time.
   */
  readonly #announcedAlone = new Map<string, Set<number>>();
  readonly #now: () => Date;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly log: Logger,
    private readonly onThreshold: (event: BudgetThreshold) => void,
    options: BudgetBookOptions = {},
  ) {
    this.#now = options.now ?? (() => new Date());
    this.#memory = new MemoryLedgers(() => this.#now().getTime());
    this.#shared = options.redis ? new RedisLedgers(options.redis) : null;
  }

  async #spentSince(subject: string, since: Date): Promise<Amount> {
    const [kind, id] = [subject.slice(0, subject.indexOf(':')), subject.slice(subject.indexOf(':') + 1)];
    const column = kind === 'key' ? 'key_id' : 'did';
    try {
      const [row] = await this.sequelize.query<{ usd: number | null; tokens: number | null }>(
        `SELECT SUM(cost_usd) AS usd, SUM(prompt_tokens + completion_tokens) AS tokens FROM usage_records WHERE ${column} = :id AND started_at >= :since`,
        { type: QueryTypes.SELECT, replacements: { id, since: since.getTime() } },
      );
      return { usd: Number(row?.usd ?? 0), tokens: Number(row?.tokens ?? 0) };
    } catch (err) {
      // Fail closed: counting from zero would let a spent budget spend again.
      this.log.error({ err, subject }, 'budget spending could not be read; the call is refused');
      throw new BudgetUnavailable({ cause: err });
    }
  }

  /**
   * Read back from the audit trail when a ledger starts. A failed read is logged and counts as none
   * told: a threshold told twice is better than a call refused for want of a notification record.
   */
  async #announcedSince(spec: BudgetSpec, start: Date): Promise<number[]> {
    try {
      return await announcedThresholds(this.sequelize, spec, start);
    } catch (err) {
      this.log.warn({ err, subject: spec.subject }, 'budget thresholds already announced could not be read; they may be announced again');
      return [];
    }
  }

  #check(spec: BudgetSpec, now: Date): BudgetCheck {
    const start = periodStart(spec.period, now);
    const startIso = start.toISOString();
    return {
      id: `${spec.subject}|${spec.period}|${startIso}`,
      periodStart: startIso,
      capUsd: spec.usd,
      capTokens: spec.tokens,
      expiresAt: periodEnd(spec.period, now)?.getTime() ?? null,
      loadSpent: () => this.#spentSince(spec.subject, start),
      loadAnnounced: () => this.#announcedSince(spec, start),
    };
  }

  /**
   * Redis when configured; if it fails, this process's own ledgers, as the rate limits do. What a
   * call spends there is added to the shared ledgers once Redis answers again (see reserve), and
   * once it does, this process's ledgers are dropped: started again in a later outage, they read the
   * usage records instead of missing what was spent through Redis in between.
   */
  async #reserveIn(checks: BudgetCheck[], estimate: Amount): Promise<{ store: LedgerStore; refusal: Refusal | null }> {
    if (this.#shared) {
      try {
        const refusal = await this.#shared.reserve(checks, estimate);
        if (this.#fellBack) {
          this.#fellBack = false;
          this.#memory.clear();
          this.log.info('budget ledgers in Redis reachable again');
        }
        return { store: this.#shared, refusal };
      } catch (err) {
        if (err instanceof BudgetUnavailable) throw err;
        this.#fellBack = true;
        this.log.warn({ err: { message: (err as Error).message } }, 'budget ledgers in Redis unavailable; counting in this process');
      }
    }
    return { store: this.#memory, refusal: await this.#memory.reserve(checks, estimate) };
  }

  async reserve(specs: readonly BudgetSpec[], estimate: Amount): Promise<BudgetReservation> {
    const now = this.#now();
    const checks = specs.map((spec) => this.#check(spec, now));
    const { store, refusal } = await this.#reserveIn(checks, estimate);
    if (refusal) throw exhausted(specs[refusal.over], refusal, now);
    let settled = false;
    return {
      settle: (actual) => {
        if (settled) return;
        settled = true;
        const giveUpAt = Math.min(this.#now().getTime() + MAX_RETRY_SPAN_MS, ...checks.map((check) => check.expiresAt ?? Infinity));
        const settleId = crypto.randomUUID();
        this.#settle({ store, specs, checks, kind: 'settle', giveUpAt, apply: () => store.settle(checks, estimate, actual, settleId) }, FIRST_RETRY_MS);
        // Reserved here because Redis did not answer: the replicas' shared ledgers must count it too,
        // or a budget could be spent twice over once Redis is back.
        const shared = this.#shared;
        if (shared && store !== shared) {
          // The wall clock, as the ledgers' start time is: this orders events, it does not pick periods.
          const endedAt = Date.now();
          const catchUpId = crypto.randomUUID();
          const apply = async () => {
            // Marked first: the catch-up may carry a ledger past a threshold already announced here.
            await this.#markAnnouncedAlone(shared, checks);
            return shared.catchUp(checks, actual, endedAt, catchUpId);
          };
          this.#settle({ store: shared, specs, checks, kind: 'catch-up', giveUpAt, apply }, FIRST_RETRY_MS);
        }
      },
    };
  }

  /**
   * Settles in the store that took the reservation, or catches the shared ledgers up. If Redis
   * fails, it is retried with a growing pause until it lands or its ledgers are over: given up, the
   * reservation would hold a budget until its period ends and the real spending would be missing
   * from the shared ledger. The settle id makes a retry of one whose reply was lost a no-op.
   */
  #settle(pending: PendingSettle, retryMs: number): void {
    const { store, specs, checks, kind, giveUpAt } = pending;
    pending.apply().then(
      (spent) => spent && this.#announce(store, specs, checks, spent),
      (err: unknown) => {
        const reason = { message: (err as Error).message };
        if (this.#now().getTime() + retryMs > giveUpAt) {
          this.log.error({ err: reason, budgets: checks.map((check) => check.id) }, GIVEN_UP[kind]);
          return;
        }
        if (retryMs === FIRST_RETRY_MS) this.log.warn({ err: reason, kind }, 'a budget settle could not be applied yet; retrying');
        setTimeout(() => this.#settle(pending, Math.min(retryMs * 2, MAX_RETRY_MS)), retryMs).unref();
      },
    );
  }

  /**
   * Marks in the shared ledgers what this process announced alone, for these ledgers; throws if
   * Redis does. A ledger Redis does not hold (it lost it) keeps its marks here: started again from
   * the usage records, it is past the threshold, and this process must not announce it again.
   */
  async #markAnnouncedAlone(shared: RedisLedgers, checks: readonly LedgerCheck[]): Promise<void> {
    for (const check of checks) {
      const percents = this.#announcedAlone.get(check.id);
      if (!percents) continue;
      for (const percent of [...percents]) if (await shared.markAnnouncedIfStarted(check, percent)) percents.delete(percent);
      if (percents.size === 0) this.#announcedAlone.delete(check.id);
    }
  }

  /** True once per threshold this process announced alone and has not marked in Redis yet. */
  #takeAnnouncedAlone(check: LedgerCheck, percent: number): boolean {
    const percents = this.#announcedAlone.get(check.id);
    if (!percents?.delete(percent)) return false;
    if (percents.size === 0) this.#announcedAlone.delete(check.id);
    return true;
  }

  #announce(store: LedgerStore, specs: readonly BudgetSpec[], checks: readonly BudgetCheck[], spent: Array<Amount | null>): void {
    specs.forEach((spec, i) => {
      const amount = spent[i];
      if (!amount) return;
      const used = fraction(spec, amount);
      const check = checks[i];
      for (const percent of THRESHOLDS) {
        if (used * 100 < percent) continue;
        this.#tell(store, spec, check, percent, amount).catch((err: unknown) => this.log.error({ err }, 'a budget threshold could not be marked'));
      }
    });
  }

  /** Announces one threshold a settle carried this ledger past, unless it was told already. */
  async #tell(store: LedgerStore, spec: BudgetSpec, check: BudgetCheck, percent: 80 | 100, spent: Amount): Promise<void> {
    if (!(await store.markAnnounced(check, percent))) return;
    if (store === this.#shared) {
      // Told already, from this process's ledgers during the outage; the mark just set covers the replicas.
      if (this.#takeAnnouncedAlone(check, percent)) return;
    } else {
      if (this.#shared) {
        let percents = this.#announcedAlone.get(check.id);
        if (!percents) this.#announcedAlone.set(check.id, (percents = new Set()));
        percents.add(percent);
      }
      // This process's own ledger: another replica counting on its own (no Redis, or the same outage)
      // may have told it since this ledger started. The audit trail is what they share.
      if ((await check.loadAnnounced()).includes(percent)) return;
    }
    this.onThreshold({ spec, percent, spent, periodStart: check.periodStart });
  }
}
