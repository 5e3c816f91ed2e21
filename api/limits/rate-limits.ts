// Requests per minute, tokens per minute and requests in flight, per API key (the key's own rpm/tpm)
// and per user (the role's defaults). Tokens are estimated before the call and corrected with the
// real count after. A refused call consumes nothing: what it took is given back.
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitExceeded } from '../errors';
import type { LimiterFactory, LimitCounters } from './limiter-factory';
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
  kind: 'slot' | 'requests' | 'tokens';
  /** The counter that counted these points (Redis, or this process's stand-in): they go back to it. */
  limiter: RateLimiterAbstract;
  subject: string;
  points: number;
}

// A correction Redis did not take is tried again after this long, then twice as long, up to this.
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;

/**
 * Adds `points` to what `taken` counted (a negative number gives back). Resolves after the first
 * try; if that one fails (Redis did not answer), it is tried again until it lands or the counter's
 * window is over. Without this, a slot taken in Redis by a call that ended during an outage stayed
 * taken there until its TTL. A try whose reply was lost after Redis applied it is applied again:
 * a give-back then gives back twice, and within that window the limit lets that many calls or
 * tokens more through (a penalty applied twice only makes it stricter). Redis replies are lost
 * only when the connection drops mid-command, and the window is at most the counter's duration.
 */
function correct(taken: Taken, points: number): Promise<void> {
  // Past the counter's window it keeps nothing of these points: nothing is left to correct.
  return apply(taken, points).then(NOTHING, () => retryLater(taken, points, Date.now() + taken.limiter.msDuration, FIRST_RETRY_MS));
}

const NOTHING = (): void => undefined;

function apply(taken: Taken, points: number): Promise<unknown> {
  return points > 0 ? taken.limiter.penalty(taken.subject, points) : taken.limiter.reward(taken.subject, -points);
}

function retryLater(taken: Taken, points: number, giveUpAt: number, wait: number): void {
  if (Date.now() + wait > giveUpAt) return;
  setTimeout(() => void apply(taken, points).catch(() => retryLater(taken, points, giveUpAt, Math.min(wait * 2, MAX_RETRY_MS))), wait).unref();
}

type Counted = { limiter: RateLimiterAbstract; res: RateLimiterRes; refused: boolean };

/** Counts in one counter; a refusal is an answer (refused), a store that fails throws. */
async function consumeOne(limiter: RateLimiterAbstract, subject: string, points: number): Promise<Counted> {
  try {
    return { limiter, res: await limiter.consume(subject, points), refused: false };
  } catch (err) {
    if (isLimiterRes(err)) return { limiter, res: err, refused: true };
    throw err;
  }
}

/** Counts in the shared counter or, when it does not answer (Redis down), in this process's stand-in. */
function consumeIn(counters: LimitCounters, subject: string, points: number): Promise<Counted> {
  const { shared, standIn } = counters;
  if (!standIn) return consumeOne(shared, subject, points);
  return consumeOne(shared, subject, points).catch(() => consumeOne(standIn, subject, points));
}

/** What one admission has counted so far: given back if a later limit refuses the call. */
interface Counting {
  taken: Taken[];
  requests: LimitState | null;
  tokens: LimitState | null;
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

  // One list and one closure (settle) per call, and a refusal's message only when there is one:
  // admit runs on every limited call, and its allocations showed next to the counting itself.
  async admit(specs: readonly RateLimitSpec[], estimateTokens: () => number): Promise<RateAdmission> {
    const counting: Counting = { taken: [], requests: null, tokens: null };
    let estimate: number | null = null;
    for (const spec of specs) {
      if (spec.concurrency) {
        const limiter = this.factory.get('concurrency', spec.concurrency, CONCURRENCY_TTL_SECONDS);
        await take(counting, 'slot', limiter, spec, 1);
      }
      if (spec.rpm) {
        const limiter = this.factory.get('rpm', spec.rpm, MINUTE);
        const res = await take(counting, 'requests', limiter, spec, 1);
        // The tightest limit is the one the client should pace itself by.
        const state = stateOf(spec.rpm, res);
        if (!counting.requests || state.remaining < counting.requests.remaining) counting.requests = state;
      }
      if (spec.tpm) {
        estimate ??= Math.max(1, estimateTokens());
        const limiter = this.factory.get('tpm', spec.tpm, MINUTE);
        const res = await take(counting, 'tokens', limiter, spec, estimate);
        const state = stateOf(spec.tpm, res);
        if (!counting.tokens || state.remaining < counting.tokens.remaining) counting.tokens = state;
      }
    }
    const { taken } = counting;
    let settled = false;
    return {
      headers: rateLimitHeaders(counting.requests, counting.tokens),
      settle: (actualTokens, served = true) => {
        if (settled) return;
        settled = true;
        for (const t of taken) {
          if (t.kind === 'requests') {
            if (!served) void correct(t, -t.points);
          } else if (t.kind === 'tokens') {
            const diff = actualTokens - t.points;
            if (diff !== 0) void correct(t, diff);
          } else {
            void correct(t, -t.points);
          }
        }
      },
    };
  }
}

/** The limit of `kind` that `spec` sets, and how a refusal names it. */
function describeLimit(kind: Taken['kind'], spec: RateLimitSpec): { limit: number; what: string } {
  if (kind === 'slot') return { limit: spec.concurrency ?? 0, what: `${spec.label} may have ${spec.concurrency} requests in flight` };
  if (kind === 'requests') return { limit: spec.rpm ?? 0, what: `${spec.label} is limited to ${spec.rpm} requests per minute` };
  return { limit: spec.tpm ?? 0, what: `${spec.label} is limited to ${spec.tpm} tokens per minute` };
}

/** Counts `points` against one limit; when it refuses, gives back everything this admission took and throws the 429. */
async function take(counting: Counting, kind: Taken['kind'], counters: LimitCounters, spec: RateLimitSpec, points: number): Promise<RateLimiterRes> {
  const { subject } = spec;
  const counted = await consumeIn(counters, subject, points);
  const taken: Taken = { kind, limiter: counted.limiter, subject, points };
  if (!counted.refused) {
    counting.taken.push(taken);
    return counted.res;
  }
  // rate-limiter-flexible counts a refused consume too: give back what this attempt added.
  await correct(taken, -points);
  await Promise.all(counting.taken.map((t) => correct(t, -t.points)));
  const err = counted.res;
  const { limit, what } = describeLimit(kind, spec);
  const state = stateOf(limit, err);
  const headers = kind === 'tokens' ? rateLimitHeaders(counting.requests, state) : rateLimitHeaders(state, counting.tokens);
  const error = new RateLimitExceeded(`Rate limit reached: ${what}. Try again in ${Math.ceil(err.msBeforeNext / 1000)} s.`, Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
  error.headers = headers;
  throw error;
}
