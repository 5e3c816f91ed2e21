import { FailureLimiter } from '@api/identity/failure-limiter';
import { TooManyFailedAttempts } from '@api/errors';

describe('FailureLimiter', () => {
  it('answers at once (no promise) for an IP that never failed, and blocks one past its failures until the block runs out', async () => {
    const limiter = new FailureLimiter({ maxFailures: 3, windowSeconds: 1, blockSeconds: 1 });
    expect(limiter.assertNotBlocked('10.0.0.1')).toBeUndefined();

    for (let i = 0; i < 3; i += 1) expect(await limiter.recordFailure('10.0.0.1')).toBe(false);
    // Failures below the threshold: checked against the limiter, not blocked yet.
    await expect(limiter.assertNotBlocked('10.0.0.1')).resolves.toBeUndefined();
    expect(await limiter.recordFailure('10.0.0.1')).toBe(true);
    await expect(limiter.assertNotBlocked('10.0.0.1')).rejects.toBeInstanceOf(TooManyFailedAttempts);
    // Another IP is untouched.
    expect(limiter.assertNotBlocked('10.0.0.2')).toBeUndefined();

    // Window and block over: the IP is forgotten and answered at once again.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(limiter.assertNotBlocked('10.0.0.1')).toBeUndefined();
  });
});
