// Rate limiter instances from rate-limiter-flexible: in memory by default, in Redis when REDIS_URL
// is set so every replica counts against the same numbers. One instance per (name, points,
// duration), made on first use: a key's limit is its own number of points.
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';

export class LimiterFactory {
  // name -> duration -> points: every call looks its limiters up, and a `${name}:${points}:${duration}`
  // key built per call cost more than the counting itself (a fresh string is hashed on each lookup).
  readonly #limiters = new Map<string, Map<number, Map<number, RateLimiterAbstract>>>();

  constructor(private readonly redis: Redis | null) {}

  get store(): 'memory' | 'redis' {
    return this.redis ? 'redis' : 'memory';
  }

  get(name: string, points: number, durationSeconds: number): RateLimiterAbstract {
    let byDuration = this.#limiters.get(name);
    if (!byDuration) this.#limiters.set(name, (byDuration = new Map()));
    let byPoints = byDuration.get(durationSeconds);
    if (!byPoints) byDuration.set(durationSeconds, (byPoints = new Map()));
    let limiter = byPoints.get(points);
    if (!limiter) {
      const options = { keyPrefix: `keyhold:${name}:${points}:${durationSeconds}`, points, duration: durationSeconds };
      // insuranceLimiter: if Redis goes away, limits keep holding per process rather than failing open or closed.
      limiter = this.redis
        ? new RateLimiterRedis({ ...options, storeClient: this.redis, insuranceLimiter: new RateLimiterMemory(options) })
        : new RateLimiterMemory(options);
      byPoints.set(points, limiter);
    }
    return limiter;
  }
}
