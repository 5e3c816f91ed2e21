// The Redis connection for shared rate-limit counters (REDIS_URL). Connected before Keyhold serves,
// so a wrong URL is a clear start-up error rather than limits that silently count per process.
import { Redis } from 'ioredis';
import type { Logger } from '../log';

/** A Redis error message without the password a redis:// URL in it may carry. */
export function withoutRedisPassword(message: string): string {
  return message.replace(/\/\/[^@/]*@/, '//***@');
}

export async function connectRedis(url: string, log: Logger): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  // Once per outage, not once per reconnect attempt (ioredis retries every few hundred ms).
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log.warn({ err: { message: withoutRedisPassword(err.message) } }, 'redis connection problem; limits fall back to this process');
  });
  redis.on('ready', () => {
    if (down) log.info('redis connection is back; limits are shared again');
    down = false;
  });
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    // The URL may carry a password: say where it failed without it.
    throw new Error(`Cannot connect to Redis at REDIS_URL: ${withoutRedisPassword((err as Error).message)}`);
  }
  return redis;
}
