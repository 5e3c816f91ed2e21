// Brute force: failed authentications per client IP are counted; past the threshold the IP is refused.
// Its own file: it needs a fresh failure count and a fresh app (models bind to one database at a time).
import { startTestApp } from '@tests/fixtures/test-app';
import { AuditEvent } from '@api/models';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('brute force', () => {
  it('answers 429 once an IP has failed past the threshold, even with a good key', async () => {
    const fresh = await startTestApp({ logLevel: 'silent' });
    try {
      const good = (await fresh.call('POST', '/api/me/keys', { role: 'member', body: { name: 'good' } })).json.key as string;
      const statuses: number[] = [];
      for (let i = 0; i < 23; i += 1) statuses.push((await fresh.call('GET', '/api/me', { headers: bearer(`kh-${'Y'.repeat(16)}_${String(i).padStart(43, 'D')}`) })).status);
      expect(statuses.slice(0, 21).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(21)).toEqual([429, 429]);
      const blocked = await fresh.call('GET', '/api/me', { headers: bearer(good) });
      expect(blocked.status).toBe(429);
      expect(blocked.json.error.code).toBe('ERR_IDENTITY_TOO_MANY_FAILURES');
      expect(await AuditEvent.count({ where: { action: 'auth.ip_blocked' } })).toBe(1);
    } finally {
      await fresh.close();
    }
  });
});
