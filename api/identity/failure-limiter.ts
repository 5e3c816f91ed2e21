// Brute-force guard: failed authentications per client IP, with rate-limiter-flexible. Past the
// threshold an IP is refused before any credential is checked, until the block runs out.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyFailedAttempts } from '../errors';

export interface FailureLimiterOptions {
  /** Failures allowed per IP within `windowSeconds`. */
  maxFailures?: number;
  windowSeconds?: number;
  blockSeconds?: number;
}

// Past this many IPs with recent failures, expired ones are swept on the next failure.
const SWEEP_ABOVE = 10_000;

export class FailureLimiter {
  readonly #limiter: RateLimiterMemory;
  readonly #max: number;
  /** How long after its last failure an IP can still be counted or blocked, in ms. */
  readonly #memoryMs: number;
  /**
   * IPs with a failure in the last #memoryMs, and until when. Every other IP has nothing in the
   * limiter (it is this process's own, in memory), so checking it takes no promise at all: the
   * check runs on every /v1 call, and almost every caller has never failed.
   */
  readonly #recent = new Map<string, number>();

  constructor(options: FailureLimiterOptions = {}) {
    this.#max = options.maxFailures ?? 20;
    const windowSeconds = options.windowSeconds ?? 60;
    const blockSeconds = options.blockSeconds ?? 300;
    this.#memoryMs = (windowSeconds + blockSeconds) * 1000;
    this.#limiter = new RateLimiterMemory({ keyPrefix: 'auth-fail', points: this.#max, duration: windowSeconds, blockDuration: blockSeconds });
  }

  /**
   * Rejects with TooManyFailedAttempts when this IP already used up its failures. Returns nothing
   * (no promise to await) for an IP without recent failures.
   */
  assertNotBlocked(ip: string): Promise<void> | undefined {
    const until = this.#recent.get(ip);
    if (until === undefined) return undefined;
    if (until <= Date.now()) {
      this.#recent.delete(ip);
      return undefined;
    }
    return this.#assertNotBlocked(ip);
  }

  async #assertNotBlocked(ip: string): Promise<void> {
    const state = await this.#limiter.get(ip);
    if (state && state.consumedPoints > this.#max) throw new TooManyFailedAttempts(Math.ceil(state.msBeforeNext / 1000));
  }

  /** Count one failure; answers true when this failure crossed the threshold. */
  async recordFailure(ip: string): Promise<boolean> {
    const now = Date.now();
    if (this.#recent.size > SWEEP_ABOVE) for (const [known, until] of this.#recent) if (until <= now) this.#recent.delete(known);
    this.#recent.delete(ip);
    this.#recent.set(ip, now + this.#memoryMs);
    try {
      await this.#limiter.consume(ip);
      return false;
    } catch (err) {
      if (err instanceof RateLimiterRes) return true;
      throw err;
    }
  }
}
