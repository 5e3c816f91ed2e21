// The user pages' logic without a browser: the "Create key" form's body and checks (against the
// server's schema limits), and the playground's errors in words.
import { EMPTY_KEY_FORM, fieldOfParam, toCreateKeyBody, type KeyFormState } from '../../../src/pages/me/keys/key-form';
import { chatErrorFromResponse } from '../../../src/pages/me/playground/chat-error';

const NOW = Date.parse('2030-06-01T12:00:00Z');
const form = (patch: Partial<KeyFormState>): KeyFormState => ({ ...EMPTY_KEY_FORM, name: 'ci', ...patch });

describe('toCreateKeyBody', () => {
  it('sends only what was filled in: no expiry and no limits leave the server defaults', () => {
    expect(toCreateKeyBody(form({}), NOW)).toEqual({ body: { name: 'ci', scopes: ['read', 'write'], models: [] } });
  });

  it('turns days into an absolute expiry and limits into numbers', () => {
    const result = toCreateKeyBody(form({ expiryMode: 'days', expiryDays: '7', rpm: '60', tpm: '1000', budgetUsd: '2.5', budgetPeriod: 'day' }), NOW);
    expect(result).toEqual({
      body: { name: 'ci', scopes: ['read', 'write'], models: [], expiresAt: '2030-06-08T12:00:00.000Z', rpm: 60, tpm: 1000, budget: { period: 'day', usd: 2.5 } },
    });
  });

  it.each([
    [{ name: '  ' }, 'name'],
    [{ scopes: [] }, 'scopes'],
    [{ models: ['bad pattern!'] }, 'models'],
    [{ expiryMode: 'days', expiryDays: '0' }, 'expiryDays'],
    [{ expiryMode: 'date', expiryDate: '2020-01-01' }, 'expiryDate'],
    [{ rpm: '1.5' }, 'rpm'],
    [{ tpm: '2000000000' }, 'tpm'],
    [{ budgetUsd: '-1' }, 'budgetUsd'],
    [{ budgetTokens: 'many' }, 'budgetTokens'],
  ] as Array<[Partial<KeyFormState>, keyof KeyFormState]>)('refuses %j before sending, naming the field', (patch, field) => {
    const result = toCreateKeyBody(form(patch), NOW);
    expect('errors' in result && Object.keys(result.errors)).toEqual([field]);
  });

  it('maps the server error param to the field that shows it', () => {
    expect(fieldOfParam('expiresAt', 'date')).toBe('expiryDate');
    expect(fieldOfParam('models.3', 'none')).toBe('models');
    expect(fieldOfParam('budget.usd', 'none')).toBe('budgetUsd');
    expect(fieldOfParam(null, 'none')).toBeNull();
  });
});

describe('chatErrorFromResponse', () => {
  const answer = (status: number, message: string, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify({ error: { message, code: 'X' } }), { status, headers: { 'content-type': 'application/json', ...headers } });

  it('says a refused model is not allowed, in the server words', async () => {
    await expect(chatErrorFromResponse(answer(403, 'Model a/b is not available to you: no rule allows role member.'))).resolves.toMatchObject({
      status: 403,
      message: 'Not allowed: Model a/b is not available to you: no rule allows role member.',
    });
  });

  it('adds when to try again from retry-after when the message does not say it', async () => {
    await expect(chatErrorFromResponse(answer(429, 'Upstream busy.', { 'retry-after': '12' }))).resolves.toMatchObject({ message: 'Rate limited: Upstream busy. Try again in 12 seconds.' });
    await expect(chatErrorFromResponse(answer(429, 'Rate limit reached. Try again in 5 s.', { 'retry-after': '5' }))).resolves.toMatchObject({ message: 'Rate limit reached. Try again in 5 s.' });
  });

  it('keeps the status line when the body is not JSON', async () => {
    await expect(chatErrorFromResponse(new Response('gateway down', { status: 502 }))).resolves.toMatchObject({ message: 'The call failed (HTTP 502).' });
  });
});
