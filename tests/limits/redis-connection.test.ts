// The shared Redis connection through an outage: one warning when it goes, one line when it is back,
// not a warning for every reconnect attempt in between.
import { connectRedis } from '@api/limits/redis';
import { createLogger } from '@api/log';
import { startRedis, type TestRedis } from '../fixtures/redis-server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, test: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('the Redis connection through an outage', () => {
  let server: TestRedis;
  beforeEach(async () => {
    server = await startRedis();
  });
  afterEach(async () => {
    await server.stop().catch(() => undefined);
  });

  it('warns once per outage and says when Redis is back', async () => {
    const lines: Array<{ level: number; msg: string; err?: { message: string } }> = [];
    const log = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(JSON.parse(line)) } });
    const redis = await connectRedis(server.url, log);
    let attempts = 0;
    redis.on('reconnecting', () => (attempts += 1));
    const warnings = () => lines.filter((l) => l.msg.startsWith('redis connection problem'));
    const backs = () => lines.filter((l) => l.msg.startsWith('redis connection is back'));
    try {
      for (let outage = 1; outage <= 2; outage += 1) {
        const before = attempts;
        await server.stop();
        // Several reconnect attempts fail while it is down.
        await until('three reconnect attempts', () => attempts - before >= 3);
        expect(warnings()).toHaveLength(outage);
        expect(warnings()[outage - 1].level).toBe(40);
        expect(backs()).toHaveLength(outage - 1);
        server = await startRedis(server.port);
        await until('the connection to come back', () => redis.status === 'ready');
        expect(backs()).toHaveLength(outage);
        expect(await redis.ping()).toBe('PONG');
      }
      expect(warnings()).toHaveLength(2);
    } finally {
      redis.disconnect();
    }
  }, 30_000);

  it('keeps a password in REDIS_URL out of the start-up error', async () => {
    const log = createLogger({ level: 'silent', destination: { write: () => undefined } });
    await server.stop();
    await expect(connectRedis(`redis://user:hunter2-secret@127.0.0.1:${server.port}`, log)).rejects.toThrow(/^Cannot connect to Redis at REDIS_URL/);
    await connectRedis(`redis://user:hunter2-secret@127.0.0.1:${server.port}`, log).catch((err: Error) => expect(err.message).not.toContain('hunter2'));
  });
});
