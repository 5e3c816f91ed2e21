// RateLimits.admit on its own (memory store): what a refused call had counted is given back, and the
// headers of a refusal describe the limit that refused it.
import { RateLimits } from '@api/limits/rate-limits';
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
