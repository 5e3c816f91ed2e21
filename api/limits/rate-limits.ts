// Requests per minute, tokens per minute and requests in flight, per API key (the key's own rpm/tpm)
// and per user (the role's defaults). Tokens are estimated before the call and corrected with the
// real count after. A refused call consumes nothing: what it took is given back.
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitExceeded } from '../errors';
import type { LimiterFactory } from './limiter-factory';
import { rateLimitHeaders, type LimitState } from './ratelimit-headers';

const MINUTE = 60;
// A slot of a crashed process frees itself after this long.
const CONCURRENCY_TTL_SECONDS = 15 * 60;

export interface RateLimitSpec {
  /** key:<id> or user:<did>, the counter's name. */
  subject: string;
  /** For messages: `key "ci-bot"`, `user z…`. */
  label: string;
  rpm?: number | null;
  tpm?: number | null;
  concurrency?: number | null;
}

interface Taken {
  limiter: RateLimiterAbstract;
  subject: string;
  points: number;
}

export interface RateAdmission {
  headers: Record<string, string>;
  /**
   * Once, when the call is over: correct the token counters and free the concurrency slot. A call
   * that reached no upstream (`served` false) gives its request back too.
   */
  settle(actualTokens: number, served?: boolean): void;
}

function isLimiterRes(value: unknown): value is RateLimiterRes {
  return typeof value === 'object' && value !== null && 'msBeforeNext' in value;
}

function stateOf(limit: number, res: RateLimiterRes): LimitState {
  return { limit, remaining: res.remainingPoints, resetMs: res.msBeforeNext };
}

export class RateLimits {
  constructor(private readonly factory: LimiterFactory) {}

  async admit(specs: readonly RateLimitSpec[], estimateTokens: () => number): Promise<RateAdmission> {
    const taken: Taken[] = [];
    const tokenTaken: Taken[] = [];
    const slotTaken: Taken[] = [];
    const requestTaken: Taken[] = [];
    let requests: LimitState | null = null;
    let tokens: LimitState | null = null;
    let estimate: number | null = null;
    const giveBack = async () => {
      await Promise.all(taken.map((t) => t.limiter.reward(t.subject, t.points).catch(() => undefined)));
    };
    const take = async (limiter: RateLimiterAbstract, subject: string, points: number, limit: number, what: string): Promise<RateLimiterRes> => {
      try {
        const res = await limiter.consume(subject, points);
        taken.push({ limiter, subject, points });
        return res;
      } catch (err) {
        if (!isLimiterRes(err)) throw err;
        // rate-limiter-flexible counts a refused consume too: give back what this attempt added.
        await limiter.reward(subject, points).catch(() => undefined);
        await giveBack();
        const state = stateOf(limit, err);
        const headers = what.includes('tokens') ? rateLimitHeaders(requests, state) : rateLimitHeaders(state, tokens);
        const error = new RateLimitExceeded(`Rate limit reached: ${what}. Try again in ${Math.ceil(err.msBeforeNext / 1000)} s.`, Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
        error.headers = headers;
        throw error;
      }
    };
    for (const spec of specs) {
      if (spec.concurrency) {
        const limiter = this.factory.get('concurrency', spec.concurrency, CONCURRENCY_TTL_SECONDS);
        await take(limiter, spec.subject, 1, spec.concurrency, `${spec.label} may have ${spec.concurrency} requests in flight`);
        slotTaken.push({ limiter, subject: spec.subject, points: 1 });
      }
      if (spec.rpm) {
        const limiter = this.factory.get('rpm', spec.rpm, MINUTE);
        const res = await take(limiter, spec.subject, 1, spec.rpm, `${spec.label} is limited to ${spec.rpm} requests per minute`);
        requestTaken.push({ limiter, subject: spec.subject, points: 1 });
        // The tightest limit is the one the client should pace itself by.
        const state = stateOf(spec.rpm, res);
        if (!requests || state.remaining < requests.remaining) requests = state;
      }
      if (spec.tpm) {
        estimate ??= estimateTokens();
        const limiter = this.factory.get('tpm', spec.tpm, MINUTE);
        const res = await take(limiter, spec.subject, Math.max(1, estimate), spec.tpm, `${spec.label} is limited to ${spec.tpm} tokens per minute`);
        tokenTaken.push({ limiter, subject: spec.subject, points: Math.max(1, estimate) });
        const state = stateOf(spec.tpm, res);
        if (!tokens || state.remaining < tokens.remaining) tokens = state;
      }
    }
    let settled = false;
    return {
      headers: rateLimitHeaders(requests, tokens),
      settle: (actualTokens, served = true) => {
        if (settled) return;
        settled = true;
        if (!served) for (const t of requestTaken) void t.limiter.reward(t.subject, t.points).catch(() => undefined);
        for (const t of tokenTaken) {
          const diff = actualTokens - t.points;
          if (diff > 0) void t.limiter.penalty(t.subject, diff).catch(() => undefined);
          else if (diff < 0) void t.limiter.reward(t.subject, -diff).catch(() => undefined);
        }
        for (const t of slotTaken) void t.limiter.reward(t.subject, 1).catch(() => undefined);
      },
    };
  }
}
