// The Redis connection for shared rate-limit counters (REDIS_URL). Connected before Keyhold serves,
// so a wrong URL is a clear start-up error rather than limits that silently count per process.
import { Redis } from 'ioredis';
import type { Logger } from '../log';

/** A Redis error message without the password a redis:// URL in it may carry. */
export function withoutRedisPassword(message: string): string {
  return message.replace(/\/\/[^@/]*@/, '//***@');
}

/**
 * Logs a Redis connection's outages once each, not once per reconnect attempt (ioredis retries every
 * few hundred ms): a warning when it breaks, a line when it is ready again.
 */
export function logOutages(client: Redis, log: Logger, messages: { lost: string; back: string }): void {
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log.warn({ err: { message: withoutRedisPassword(err.message) } }, messages.lost);
  });
  client.on('ready', () => {
    if (down) log.info(messages.back);
    down = false;
  });
}

export async function connectRedis(url: string, log: Logger): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  logOutages(redis, log, { lost: 'redis connection problem; limits fall back to this process', back: 'redis connection is back; limits are shared again' });
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    // The URL may carry a password: say where it failed without it.
    throw new Error(`Cannot connect to Redis at REDIS_URL: ${withoutRedisPassword((err as Error).message)}`);
  }
  return redis;
}
