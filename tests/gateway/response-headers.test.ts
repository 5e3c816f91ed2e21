// The headers of /v1 answers, read raw off the wire: every answer names its request id once, every
// answer after admission carries the x-ratelimit-* headers once, and a refusing limit's headers
// replace the key's instead of joining them.
import http from 'node:http';
import { startGatewayHarness, type GatewayHarness } from '@tests/fixtures/gateway-setup';

interface RawAnswer {
  status: number;
  /** Lower-cased name -> every value sent under it, in order. */
  headers: Map<string, string[]>;
  body: string;
}

function post(h: GatewayHarness, path: string, headers: Record<string, string>, body: unknown): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${h.app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const seen = new Map<string, string[]>();
      for (let i = 0; i < res.rawHeaders.length; i += 2) {
        const name = res.rawHeaders[i].toLowerCase();
        seen.set(name, [...(seen.get(name) ?? []), res.rawHeaders[i + 1]]);
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: seen, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const chatBody = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: 'user', content: 'hi' }], ...extra });
const RATE_HEADERS = ['requests', 'tokens'].flatMap((kind) => ['limit', 'remaining', 'reset'].map((part) => `x-ratelimit-${part}-${kind}`));

/** Each of `names` sent exactly once. */
function expectOnce(answer: RawAnswer, names: string[]): void {
  for (const name of names) expect([name, answer.headers.get(name)?.length ?? 0]).toEqual([name, 1]);
}

describe('/v1 answer headers', () => {
  let h: GatewayHarness;
  let key: string;
  beforeAll(async () => {
    h = await startGatewayHarness();
    await h.addAccount({ type: 'openai', name: 'hdr', enabledModels: ['m1'] });
    await h.addAccount({ type: 'openai', name: 'hdr-tiny', enabledModels: ['m2'], limits: { rpm: 1 } });
    ({ key } = await h.createKey('member', 'z-headers', { rpm: 50, tpm: 100_000 }));
  });
  afterEach(() => h.fake.setMode({ kind: 'normal' }));
  afterAll(() => h.close());

  const auth = () => ({ authorization: `Bearer ${key}` });

  it('a JSON answer: the request id the client sent, the limits, content type and length, each once', async () => {
    const answer = await post(h, '/v1/chat/completions', { ...auth(), 'x-request-id': 'client-req-0001' }, chatBody('hdr/m1'));
    expect(answer.status).toBe(200);
    expectOnce(answer, ['x-request-id', 'content-type', 'content-length', ...RATE_HEADERS]);
    expect(answer.headers.get('x-request-id')).toEqual(['client-req-0001']);
    expect(answer.headers.get('x-ratelimit-limit-requests')).toEqual(['50']);
    expect(answer.headers.get('x-ratelimit-limit-tokens')).toEqual(['100000']);
    expect(answer.headers.get('content-length')).toEqual([String(Buffer.byteLength(answer.body))]);
  });

  it('a stream: the same, with the event-stream headers', async () => {
    const answer = await post(h, '/v1/chat/completions', auth(), chatBody('hdr/m1', { stream: true }));
    expect(answer.status).toBe(200);
    expectOnce(answer, ['x-request-id', 'content-type', 'cache-control', 'x-accel-buffering', ...RATE_HEADERS]);
    expect(answer.headers.get('content-type')).toEqual(['text/event-stream; charset=utf-8']);
    expect(answer.body.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('an upstream failure after admission keeps the request id and the limits', async () => {
    h.fake.setMode({ kind: 'status', status: 500 });
    const answer = await post(h, '/v1/chat/completions', auth(), chatBody('hdr/m1'));
    expect(answer.status).toBe(502);
    expectOnce(answer, ['x-request-id', 'content-type', ...RATE_HEADERS]);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'ERR_GATEWAY_UPSTREAM' } });
  });

  it('a refusal before admission (a wrong key, a malformed body) still names its request id', async () => {
    const wrongKey = await post(h, '/v1/chat/completions', { authorization: `Bearer ${key.slice(0, -4)}AAAA` }, chatBody('hdr/m1'));
    expect(wrongKey.status).toBe(401);
    expectOnce(wrongKey, ['x-request-id']);
    const malformed = await post(h, '/v1/chat/completions', auth(), { model: 'hdr/m1', messages: 'not a list' });
    expect(malformed.status).toBe(400);
    expectOnce(malformed, ['x-request-id']);
    expect(malformed.headers.has('x-ratelimit-limit-requests')).toBe(false);
  });

  it("an account's refusal sends the account's limit in place of the key's, not beside it", async () => {
    expect((await post(h, '/v1/chat/completions', auth(), chatBody('hdr-tiny/m2'))).status).toBe(200);
    const refused = await post(h, '/v1/chat/completions', auth(), chatBody('hdr-tiny/m2'));
    expect(refused.status).toBe(429);
    expectOnce(refused, ['x-request-id', 'retry-after', ...RATE_HEADERS]);
    expect(refused.headers.get('x-ratelimit-limit-requests')).toEqual(['1']);
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toEqual(['0']);
  });
});
