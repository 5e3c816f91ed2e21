// ComponentCallVerifier on its own: the registry check and the clock, with time passed in.
import type { Request } from 'express';
import { ComponentCallVerifier } from '@api/identity/component-call';
import { applyStandaloneIdentity, loadOrCreateStandaloneIdentity } from '@api/standalone-identity';
import { makeDataDir } from '@tests/fixtures/test-app';
import { signComponentCallAt } from '@tests/fixtures/component-signing';

beforeAll(() => applyStandaloneIdentity(loadOrCreateStandaloneIdentity(makeDataDir())));

function requestWith(headers: Record<string, string>): Request {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (name: string) => lower[name.toLowerCase()], headers: lower, body: {}, method: 'GET', originalUrl: '/api/me', query: {} } as unknown as Request;
}

async function signedAt(iat: number, exp: number, did = 'z8known') {
  return requestWith(await signComponentCallAt({ method: 'GET', path: '/api/me' }, did, iat, exp));
}

describe('ComponentCallVerifier', () => {
  it('accepts a call from a registered component and refuses a DID the app does not have', async () => {
    // The SDK itself refuses signatures whose exp is in the real past, so the clock here is the real one.
    const now = Math.floor(Date.now() / 1000);
    const clock = new ComponentCallVerifier({ knownComponentDids: () => ['z8known'], now: () => now * 1000 });
    await expect(clock.verify(await signedAt(now, now + 300))).resolves.toEqual({ componentDid: 'z8known' });
    await expect(clock.verify(await signedAt(now, now + 300, 'z8impostor'))).rejects.toMatchObject({ code: 'ERR_IDENTITY_SIGNATURE_INVALID' });
  });

  it.each([
    ['30 s ahead (inside the skew)', 30, true],
    ['31 s ahead (outside the skew)', 31, false],
  ])('treats a signature made %s accordingly', async (_name, ahead, ok) => {
    const now = Math.floor(Date.now() / 1000);
    const verifier = new ComponentCallVerifier({ now: () => now * 1000 });
    const result = verifier.verify(await signedAt(now + ahead, now + ahead + 300));
    if (ok) await expect(result).resolves.toEqual({ componentDid: 'z8known' });
    else await expect(result).rejects.toMatchObject({ code: 'ERR_IDENTITY_SIGNATURE_INVALID' });
  });
});
