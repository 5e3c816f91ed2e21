// testConnection against a real local HTTP server speaking each provider's wire format:
// success, rejection, scrubbing, upstream failures and transport failures, for all seven providers.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { testConnection } from '@api/gateway/test-connection';
import { PROVIDER_TYPES, type ProviderType } from '@api/gateway/providers/types';
import { clearLiveSecrets } from '@api/vault/live-secrets';
import { maskSecret } from '@api/vault/mask';
import { ECHO_HEADER, startFakeUpstream } from '@tests/fixtures/fake-upstream';
import {
  FAKE_ACCEPTED,
  GOOD_AWS,
  GOOD_KEYS,
  buildApiKeyCredential,
  buildAwsCredential,
  buildFakeAccount,
  buildGoodCredential,
  buildWrongCredential,
  listSecretValues,
} from '@tests/fixtures/fake-upstream/accounts';
import { useFakeUpstream } from '@tests/fixtures/provider-round-trip';

const { fake, dispatcher } = useFakeUpstream({ accept: FAKE_ACCEPTED, models: ['model-a', 'model-b', 'model-c'] });

async function findClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function lastRequest() {
  const recorded = fake.requests.at(-1);
  if (!recorded) throw new Error('the fake upstream received no request');
  return recorded;
}

const WRONG_KEY_ANSWERS: Record<ProviderType, { status: number; message: string }> = {
  openai: { status: 401, message: 'Incorrect API key provided' },
  'openai-compatible': { status: 401, message: 'Incorrect API key provided' },
  'azure-openai': { status: 401, message: 'Access denied due to invalid subscription key' },
  anthropic: { status: 401, message: 'invalid x-api-key' },
  // The real Gemini API answers a wrong key with 400 INVALID_ARGUMENT.
  'google-gemini': { status: 400, message: 'API key not valid' },
  'aws-bedrock': { status: 403, message: 'The request signature we calculated does not match' },
  ollama: { status: 401, message: 'unauthorized' },
};

describe.each(PROVIDER_TYPES.map((type) => [type]))('testConnection with %s', (type) => {
  const account = () => buildFakeAccount(type, fake.url);

  it('succeeds with the right credential and counts the listed models', async () => {
    const result = await testConnection(account(), buildGoodCredential(type), { dispatcher });
    expect(result).toEqual({ ok: true, status: 200, latencyMs: expect.any(Number), models: 3 });
    expect(lastRequest().provider).toBe(type);
  });

  it("reports the provider's own message for a wrong credential", async () => {
    const result = await testConnection(account(), buildWrongCredential(type), { dispatcher });
    const expected = WRONG_KEY_ANSWERS[type];
    expect(result).toMatchObject({ ok: false, status: expected.status });
    expect(result.ok ? '' : result.error).toContain(expected.message);
  });

  it('never repeats the secret or the auth header an upstream echoes back, even unknown to the global scrubber', async () => {
    const credential = buildGoodCredential(type);
    // Only the explicit per-credential scrub is left to protect the message.
    clearLiveSecrets();
    fake.setMode({ kind: 'echo-credential' });
    const result = await testConnection(account(), credential, { dispatcher });
    const presented = lastRequest().presentedCredential;
    expect(presented).toBeTruthy();
    expect(result.ok).toBe(false);
    const error = result.ok ? '' : result.error;
    expect(error).toContain('invalid credential received: ');
    expect(error).toContain(maskSecret(presented ?? ''));
    expect(error).not.toContain(presented);
    for (const secret of listSecretValues(credential)) expect(error).not.toContain(secret);
  });

  it('reports an upstream 500 with its message', async () => {
    fake.setMode({ kind: 'status', status: 500 });
    const result = await testConnection(account(), buildGoodCredential(type), { dispatcher });
    expect(result).toMatchObject({ ok: false, status: 500, error: 'upstream answered 500: fake upstream answered 500' });
  });

  it('gives up after timeoutMs when the upstream is slow', async () => {
    fake.setMode({ kind: 'normal', delayMs: 300 });
    const result = await testConnection(account(), buildGoodCredential(type), { dispatcher, timeoutMs: 50 });
    expect(result).toMatchObject({ ok: false, status: null, error: 'upstream did not answer within 50 ms' });
  });

  it('reports a refused connection', async () => {
    const closed = buildFakeAccount(type, `http://127.0.0.1:${await findClosedPort()}`);
    const result = await testConnection(closed, buildGoodCredential(type), { dispatcher });
    expect(result).toMatchObject({ ok: false, status: null, error: 'connection refused by the upstream' });
  });

  it('reports a connection the upstream drops', async () => {
    fake.setMode({ kind: 'reset' });
    const result = await testConnection(account(), buildGoodCredential(type), { dispatcher });
    expect(result).toMatchObject({ ok: false, status: null });
    expect(result.ok ? '' : result.error).toMatch(/upstream (closed|reset) the connection/);
  });
});

describe('testConnection wire details', () => {
  it('sends the Gemini key in x-goog-api-key and never in the URL', async () => {
    await testConnection(buildFakeAccount('google-gemini', fake.url), buildGoodCredential('google-gemini'), { dispatcher });
    const recorded = lastRequest();
    expect(recorded.headers['x-goog-api-key']).toBe(GOOD_KEYS['google-gemini']);
    expect(recorded.url).not.toContain(GOOD_KEYS['google-gemini']);
    expect(recorded.url).not.toMatch(/[?&]key=/);
  });

  it('SigV4-signs Bedrock requests for the bedrock service in the account region', async () => {
    const result = await testConnection(buildFakeAccount('aws-bedrock', fake.url), buildGoodCredential('aws-bedrock'), { dispatcher });
    expect(result.ok).toBe(true);
    const recorded = lastRequest();
    expect(recorded.headers.authorization).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=${GOOD_AWS.accessKeyId}/\\d{8}/us-east-1/bedrock/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$`),
    );
    expect(JSON.stringify(recorded)).not.toContain(GOOD_AWS.secretAccessKey);
  });

  it('has Bedrock requests rejected for an unknown access key, a wrong region and a session token mismatch', async () => {
    const account = buildFakeAccount('aws-bedrock', fake.url);
    const unknown = await testConnection(account, buildAwsCredential({ ...GOOD_AWS, accessKeyId: 'AKIAFAKEUNKNOWN00001' }), { dispatcher });
    expect(unknown).toMatchObject({ ok: false, status: 403, error: expect.stringContaining('security token included in the request is invalid') });
    const wrongRegion = await testConnection({ ...account, region: 'eu-west-1' }, buildGoodCredential('aws-bedrock'), { dispatcher });
    expect(wrongRegion).toMatchObject({ ok: false, status: 403, error: expect.stringContaining('scoped to a valid region') });
    const withToken = await testConnection(account, buildAwsCredential({ ...GOOD_AWS, sessionToken: 'fake-session-token-0123456789' }), { dispatcher });
    expect(withToken).toMatchObject({ ok: false, status: 403 });
  });

  it('signs the session token of temporary AWS credentials', async () => {
    const temporary = { ...GOOD_AWS, accessKeyId: 'AKIAFAKETEMP00000001', sessionToken: 'fake-session-token-0123456789' };
    const sts = await startFakeUpstream({ accept: { ...FAKE_ACCEPTED, awsKeyPairs: [temporary] } });
    try {
      const result = await testConnection(buildFakeAccount('aws-bedrock', sts.url), buildAwsCredential(temporary), { dispatcher });
      expect(result).toMatchObject({ ok: true, models: 3 });
      expect(sts.requests.at(-1)?.headers.authorization).toContain('x-amz-security-token');
    } finally {
      await sts.close();
    }
  });

  it('sends the Azure api-version (default or the account one) and the Anthropic version header', async () => {
    await testConnection(buildFakeAccount('azure-openai', fake.url), buildGoodCredential('azure-openai'), { dispatcher });
    expect(lastRequest().url).toBe('/openai/models?api-version=2024-10-21');
    const pinned = { ...buildFakeAccount('azure-openai', fake.url), apiVersion: '2025-01-01-preview' };
    await testConnection(pinned, buildGoodCredential('azure-openai'), { dispatcher });
    expect(lastRequest().url).toBe('/openai/models?api-version=2025-01-01-preview');
    await testConnection(buildFakeAccount('anthropic', fake.url), buildGoodCredential('anthropic'), { dispatcher });
    expect(lastRequest().headers['anthropic-version']).toBe('2023-06-01');
  });

  it('reaches an Ollama without auth when the credential has no key', async () => {
    const open = await startFakeUpstream();
    try {
      const result = await testConnection(buildFakeAccount('ollama', open.url), { type: 'custom', publicFields: {}, secrets: {} }, { dispatcher });
      expect(result).toMatchObject({ ok: true, models: 3 });
      expect(open.requests.at(-1)?.headers.authorization).toBeUndefined();
    } finally {
      await open.close();
    }
  });
});

describe('testConnection failure messages', () => {
  const openai = () => buildFakeAccount('openai', fake.url);

  it('scrubs before capping at 300 characters, so a secret cut at the edge cannot leak', async () => {
    const secret = GOOD_KEYS.openai;
    fake.setMode({ kind: 'status', status: 400, body: { error: { message: `${'x'.repeat(270)} ${secret} ${'y'.repeat(500)}` } } });
    const result = await testConnection(openai(), buildApiKeyCredential(secret), { dispatcher });
    const error = result.ok ? '' : result.error;
    expect(error.length).toBeLessThanOrEqual(300);
    expect(error).not.toContain(secret.slice(0, 12));
  });

  it.each([
    ['an HTML error page', 502, '<html><body>Bad Gateway</body></html>', 'upstream answered 502'],
    ['a plain-text body', 404, '404 page not found', 'upstream answered 404: 404 page not found'],
    ['an AWS {message} body', 403, { message: 'User is not authorized' }, 'upstream answered 403: User is not authorized'],
    ['an Ollama {error} body', 404, { error: 'model not found' }, 'upstream answered 404: model not found'],
  ])('reads %s', async (_name, status, body, expected) => {
    fake.setMode({ kind: 'status', status, body });
    const result = await testConnection(openai(), buildGoodCredential('openai'), { dispatcher });
    expect(result).toMatchObject({ ok: false, status, error: expected });
  });

  it('does not call a 200 that is not a model list a success', async () => {
    fake.setMode({ kind: 'status', status: 200, body: { hello: 'world' } });
    const result = await testConnection(openai(), buildGoodCredential('openai'), { dispatcher });
    expect(result).toMatchObject({ ok: false, status: 200, error: 'upstream answered 200 but not with a model list' });
  });

  it.each([
    ['openai-compatible without a base URL', { type: 'openai-compatible', baseUrl: null }, 'openai-compatible accounts need a base URL'],
    ['azure-openai without a base URL', { type: 'azure-openai', baseUrl: null }, 'azure-openai accounts need a base URL'],
    ['aws-bedrock without a region', { type: 'aws-bedrock', baseUrl: null, region: null }, 'aws-bedrock accounts need a valid region'],
    ['a base URL with a password', { type: 'openai', baseUrl: 'https://user:pw@example.test/v1' }, 'must not carry a user or password'],
  ] as const)('refuses %s without calling anything', async (_name, override, expected) => {
    const account = { ...buildFakeAccount('openai', fake.url), ...override };
    const result = await testConnection(account, buildGoodCredential(account.type), { dispatcher });
    expect(result).toMatchObject({ ok: false, status: null, error: expect.stringContaining(expected) });
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a credential without its api_key', async () => {
    const result = await testConnection(openai(), { type: 'api_key', publicFields: {}, secrets: {} }, { dispatcher });
    expect(result).toMatchObject({ ok: false, status: null, error: 'the openai credential has no api_key' });
  });
});

describe('fake upstream echo mode', () => {
  it('echoes the presented credential in its error body and a response header', async () => {
    fake.setMode({ kind: 'echo-credential' });
    const response = await request(`${fake.url}/v1/models`, { headers: { authorization: 'Bearer echo-me-0123456789' }, dispatcher });
    expect(response.statusCode).toBe(401);
    expect(response.headers[ECHO_HEADER]).toBe('Bearer echo-me-0123456789');
    expect(await response.body.text()).toContain('Bearer echo-me-0123456789');
  });
});
