// Token and cost budgets per key and per user, per day, month or in total. Before a call its
// estimate is reserved; after, the reservation is replaced by the real amount. A call is refused
// when spent + reserved + its estimate would pass the cap, so N concurrent calls overshoot by at
// most what the calls already in flight use beyond their estimates. Spending so far is read from
// the usage records once per budget and period, then kept in memory.
import { QueryTypes, type Sequelize } from 'sequelize';
import { BudgetExhausted, BudgetUnavailable } from '../errors';
import type { Logger } from '../log';

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

export interface Amount {
  usd: number;
  tokens: number;
}

interface Ledger {
  spent: Amount;
  reserved: Amount;
  warned: Set<number>;
}

export interface BudgetThreshold {
  spec: BudgetSpec;
  percent: 80 | 100;
  spent: Amount;
}

export interface BudgetReservation {
  settle(actual: Amount): void;
}

function periodStart(period: BudgetSpec['period'], now: Date): Date {
  if (period === 'day') return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (period === 'month') return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return new Date(0);
}

function nextPeriodSeconds(period: BudgetSpec['period'], now: Date): number | null {
  if (period === 'total') return null;
  const start = periodStart(period, now);
  const next = period === 'day' ? new Date(start.getTime() + 86_400_000) : new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  return Math.ceil((next.getTime() - now.getTime()) / 1000);
}

function fraction(spec: BudgetSpec, amount: Amount): number {
  const parts = [spec.usd ? amount.usd / spec.usd : 0, spec.tokens ? amount.tokens / spec.tokens : 0];
  return Math.max(...parts);
}

function formatUsd(value: number): string {
  return `$${value.toFixed(value < 1 ? 4 : 2)}`;
}

export class BudgetBook {
  readonly #ledgers = new Map<string, Ledger>();
  readonly #loading = new Map<string, Promise<Ledger>>();

  constructor(
    private readonly sequelize: Sequelize,
    private readonly log: Logger,
    private readonly onThreshold: (event: BudgetThreshold) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

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

  async #ledger(spec: BudgetSpec): Promise<Ledger> {
    const id = `${spec.subject}|${spec.period}|${periodStart(spec.period, this.now()).toISOString()}`;
    const ready = this.#ledgers.get(id);
    if (ready) return ready;
    let loading = this.#loading.get(id);
    if (!loading) {
      loading = this.#spentSince(spec.subject, periodStart(spec.period, this.now())).then(
        (spent) => {
          const ledger: Ledger = { spent, reserved: { usd: 0, tokens: 0 }, warned: new Set() };
          this.#ledgers.set(id, ledger);
          this.#loading.delete(id);
          return ledger;
        },
        (err: unknown) => {
          // Not remembered: the next call tries the database again.
          this.#loading.delete(id);
          throw err;
        },
      );
      this.#loading.set(id, loading);
    }
    return loading;
  }

  async reserve(specs: readonly BudgetSpec[], estimate: Amount): Promise<BudgetReservation> {
    const ledgers = await Promise.all(specs.map((spec) => this.#ledger(spec)));
    // Checked for all before any is reserved: a refusal leaves nothing behind.
    specs.forEach((spec, i) => {
      const { spent, reserved } = ledgers[i];
      const usdOver = spec.usd !== undefined && spent.usd + reserved.usd + estimate.usd > spec.usd;
      const tokensOver = spec.tokens !== undefined && spent.tokens + reserved.tokens + estimate.tokens > spec.tokens;
      if (usdOver || tokensOver) {
        const what = usdOver
          ? `${formatUsd(spent.usd)} of its ${formatUsd(spec.usd!)}`
          : `${spent.tokens} of its ${spec.tokens} tokens`;
        const period = spec.period === 'total' ? 'total' : `${spec.period === 'day' ? 'daily' : 'monthly'}`;
        throw new BudgetExhausted(`Budget exhausted: ${spec.label} has used ${what} ${period} budget.`, nextPeriodSeconds(spec.period, this.now()));
      }
    });
    for (const ledger of ledgers) {
      ledger.reserved.usd += estimate.usd;
      ledger.reserved.tokens += estimate.tokens;
    }
    let settled = false;
    return {
      settle: (actual) => {
        if (settled) return;
        settled = true;
        specs.forEach((spec, i) => {
          const ledger = ledgers[i];
          ledger.reserved.usd -= estimate.usd;
          ledger.reserved.tokens -= estimate.tokens;
          ledger.spent.usd += actual.usd;
          ledger.spent.tokens += actual.tokens;
          const used = fraction(spec, ledger.spent);
          for (const percent of [80, 100] as const) {
            if (used * 100 >= percent && !ledger.warned.has(percent)) {
              ledger.warned.add(percent);
              this.onThreshold({ spec, percent, spent: { ...ledger.spent } });
            }
          }
        });
      },
    };
  }
}
