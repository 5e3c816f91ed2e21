// Rate limiter instances from rate-limiter-flexible: in memory by default, in Redis when REDIS_URL
// is set so every replica counts against the same numbers. One set per (name, points, duration),
// made on first use: a key's limit is its own number of points.
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';

/**
 * The counters of one limit. `shared` is Redis when it is configured (every replica counts there),
 * else this process's memory. `standIn` is this process's own count, used for a call only when Redis
 * does not answer, so limits keep holding per process rather than failing open or closed.
 *
 * Not rate-limiter-flexible's insuranceLimiter: it sends each operation to whichever store answers
 * at that moment, so a concurrency slot taken in memory during an outage was given back to Redis
 * after it (Redis then counted a slot fewer than were in flight, until the slot's TTL), and one
 * taken in Redis right before an outage was given back to memory instead, while Redis kept it. The
 * caller gives back to the counter that counted (RateLimits' take and settle).
 */
export interface LimitCounters {
  shared: RateLimiterAbstract;
  standIn: RateLimiterAbstract | null;
}

export class LimiterFactory {
  // name -> duration -> points: every call looks its limiters up, and a `${name}:${points}:${duration}`
  // key built per call cost more than the counting itself (a fresh string is hashed on each lookup).
  readonly #limiters = new Map<string, Map<number, Map<number, LimitCounters>>>();

  constructor(private readonly redis: Redis | null) {}

  get store(): 'memory' | 'redis' {
    return this.redis ? 'redis' : 'memory';
  }

  get(name: string, points: number, durationSeconds: number): LimitCounters {
    let byDuration = this.#limiters.get(name);
    if (!byDuration) this.#limiters.set(name, (byDuration = new Map()));
    let byPoints = byDuration.get(durationSeconds);
    if (!byPoints) byDuration.set(durationSeconds, (byPoints = new Map()));
    let counters = byPoints.get(points);
    if (!counters) {
      const options = { keyPrefix: `keyhold:${name}:${points}:${durationSeconds}`, points, duration: durationSeconds };
      counters = this.redis
        ? { shared: new RateLimiterRedis({ ...options, storeClient: this.redis }), standIn: new RateLimiterMemory(options) }
        : { shared: new RateLimiterMemory(options), standIn: null };
      byPoints.set(points, counters);
    }
    return counters;
  }
}
