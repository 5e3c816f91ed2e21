// How a JSON answer's body is read from the upstream: whole in one packet (taken from the buffer),
// in pieces with a pause, split inside a multi-byte character, or chunked without a length. The
// client gets the same content every way, and a body cut short of its length is a 502.
import http from 'node:http';
import { startGatewayHarness, type GatewayHarness } from '@tests/fixtures/gateway-setup';
import { OWN_UPSTREAM_CREDENTIALS, startOwnUpstream, type OwnUpstream } from '@tests/fixtures/own-upstream';

const CONTENT = 'grüße 你好 👋 "quoted" \\ end';
let h: GatewayHarness;
let upstream: OwnUpstream;
let key: string;

function completion(content: string): string {
  return JSON.stringify({
    id: 'chatcmpl-x', object: 'chat.completion', created: 1, model: 'model-a',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
  });
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 30));

/** Answers by the way the prompt names: whole, pieces, split-char, chunked, short. */
async function answer(how: string, res: http.ServerResponse): Promise<void> {
  const bytes = Buffer.from(completion(CONTENT));
  if (how === 'whole') return void res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length }).end(bytes);
  if (how === 'chunked') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(bytes.subarray(0, 20));
    await pause();
    return void res.end(bytes.subarray(20));
  }
  const declared = how === 'short' ? bytes.length + 10 : bytes.length;
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': declared });
  // Inside 'ü' (two bytes) for split-char; past the first field for pieces.
  const cut = how === 'split-char' ? bytes.indexOf(Buffer.from('ü')) + 1 : 30;
  res.write(bytes.subarray(0, cut));
  await pause();
  res.write(bytes.subarray(cut));
  if (how === 'short') res.socket?.destroy();
  else res.end();
}

beforeAll(async () => {
  upstream = await startOwnUpstream((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: { content: string }[] };
      void answer(body.messages[0].content, res);
    });
  });
  h = await startGatewayHarness();
  await h.addAccount({ type: 'openai-compatible', name: 'pieces', enabledModels: ['model-a'], baseUrl: upstream.baseUrl, credentials: OWN_UPSTREAM_CREDENTIALS });
  key = (await h.createKey('member', 'z-answer-reader')).key;
});
afterAll(async () => {
  await h.close();
  await upstream.close();
});

describe('reading the upstream JSON answer', () => {
  it.each(['whole', 'pieces', 'split-char', 'chunked'])('gives the client the same content when the answer comes %s', async (how) => {
    const res = await h.client(key).chat.completions.create({ model: 'pieces/model-a', messages: [{ role: 'user', content: how }] });
    expect(res.choices[0].message.content).toBe(CONTENT);
    expect(res.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 4 });
  });

  it('answers 502 when the upstream breaks off before its Content-Length', async () => {
    const res = await fetch(`${h.app.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'pieces/model-a', messages: [{ role: 'user', content: 'short' }] }),
    });
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ERR_GATEWAY_UPSTREAM');
  });
});
