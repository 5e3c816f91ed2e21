// RateLimits.admit on its own: what a refused call had counted is given back, and the headers of a
// refusal describe the limit that refused it (memory store). Through a Redis outage (a real
// redis-server), what a call counted is given back to the store that counted it.
import { Redis } from 'ioredis';
import { RateLimits } from '@api/limits/rate-limits';
import { startRedis, type TestRedis } from '@tests/fixtures/redis-server';
import { LimiterFactory } from '@api/limits/limiter-factory';
import { RateLimitExceeded } from '@api/errors';

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('admitted');
    },
    (err: unknown) => err as RateLimitExceeded,
  );

describe('rate admission', () => {
  it('gives back the request a call counted when its tokens are refused', async () => {
    const rates = new RateLimits(new LimiterFactory(null));
    const spec = { subject: 'key:k1', label: 'key "k1"', rpm: 2, tpm: 100 };
    const refused = await refusal(rates.admit([spec], () => 500));
    expect(refused).toBeInstanceOf(RateLimitExceeded);
    expect(refused.message).toContain('100 tokens per minute');
    // Both requests of the minute are still there, then the third is refused on requests.
    await rates.admit([spec], () => 10);
    await rates.admit([spec], () => 10);
    const third = await refusal(rates.admit([spec], () => 10));
    expect(third.message).toContain('2 requests per minute');
    expect(third.headers).toMatchObject({ 'x-ratelimit-limit-requests': '2', 'x-ratelimit-remaining-requests': '0' });
  });

  it('labels a refusal by the limit that refused, whatever the key is called', async () => {
    const rates = new RateLimits(new LimiterFactory(null));
    const spec = { subject: 'key:k2', label: 'key "tokens-bot"', rpm: 1, tpm: 1000 };
    await rates.admit([spec], () => 10);
    const refused = await refusal(rates.admit([spec], () => 10));
    expect(refused.headers).toMatchObject({ 'x-ratelimit-limit-requests': '1', 'x-ratelimit-remaining-requests': '0' });
  });

  it('frees a concurrency slot when the call settles, and not before', async () => {
    const rates = new RateLimits(new LimiterFactory(null));
    const spec = { subject: 'user:u1', label: 'user u1', concurrency: 1, rpm: 100 };
    const first = await rates.admit([spec], () => 10);
    const refused = await refusal(rates.admit([spec], () => 10));
    expect(refused.message).toContain('1 requests in flight');
    first.settle(10);
    await new Promise((resolve) => setImmediate(resolve));
    await rates.admit([spec], () => 10);
  });
});

describe('rate admission through a Redis outage', () => {
  let server: TestRedis;
  const clients: Redis[] = [];
  const connect = async () => {
    const client = new Redis(server.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return client;
  };
  /** This replica loses Redis (the others keep it); resolves once its connection is closed. */
  const lose = async (client: Redis) => {
    const closed = new Promise((resolve) => client.once('end', resolve));
    client.disconnect();
    await closed;
  };
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await server.stop();
  });

  it('frees in Redis a slot taken there by a call that ended during the outage, once Redis is back', async () => {
    const client = await connect();
    const rates = new RateLimits(new LimiterFactory(client));
    const replica = new RateLimits(new LimiterFactory(await connect()));
    const spec = { subject: 'user:outage-1', label: 'user outage-1', concurrency: 1 };
    const first = await rates.admit([spec], () => 10);
    expect((await refusal(replica.admit([spec], () => 10))).message).toContain('1 requests in flight');

    await lose(client);
    first.settle(10);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await client.connect();
    // The slot is given back where it was taken: the other replica may take it.
    let admitted = null;
    for (let waited = 0; !admitted && waited < 3000; waited += 50) {
      admitted = await replica.admit([spec], () => 10).catch(() => null);
      if (!admitted) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(admitted).not.toBeNull();
    // And only that one: the slot it holds is counted.
    expect((await refusal(rates.admit([spec], () => 10))).message).toContain('1 requests in flight');
  });

  it('gives a slot taken in this process during the outage back to this process, not to Redis', async () => {
    const client = await connect();
    const rates = new RateLimits(new LimiterFactory(client));
    const replica = new RateLimits(new LimiterFactory(await connect()));
    const spec = { subject: 'user:outage-2', label: 'user outage-2', concurrency: 1 };
    await lose(client);
    const during = await rates.admit([spec], () => 10);
    // Counted in this process meanwhile: its own count holds.
    expect((await refusal(rates.admit([spec], () => 10))).message).toContain('1 requests in flight');

    await client.connect();
    during.settle(10);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Redis never counted that slot, so it still allows exactly one call in flight, not two.
    await replica.admit([spec], () => 10);
    expect((await refusal(replica.admit([spec], () => 10))).message).toContain('1 requests in flight');
    expect((await refusal(rates.admit([spec], () => 10))).message).toContain('1 requests in flight');
  });
});
