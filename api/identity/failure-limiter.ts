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

export class FailureLimiter {
  readonly #limiter: RateLimiterMemory;
  readonly #max: number;

  constructor(options: FailureLimiterOptions = {}) {
    this.#max = options.maxFailures ?? 20;
    this.#limiter = new RateLimiterMemory({
      keyPrefix: 'auth-fail',
      points: this.#max,
      duration: options.windowSeconds ?? 60,
      blockDuration: options.blockSeconds ?? 300,
    });
  }

  /** Throws TooManyFailedAttempts when this IP already used up its failures. */
  async assertNotBlocked(ip: string): Promise<void> {
    const state = await this.#limiter.get(ip);
    if (state && state.consumedPoints > this.#max) throw new TooManyFailedAttempts(Math.ceil(state.msBeforeNext / 1000));
  }

  /** Count one failure; answers true when this failure crossed the threshold. */
  async recordFailure(ip: string): Promise<boolean> {
    try {
      await this.#limiter.consume(ip);
      return false;
    } catch (err) {
      if (err instanceof RateLimiterRes) return true;
      throw err;
    }
  }
}
