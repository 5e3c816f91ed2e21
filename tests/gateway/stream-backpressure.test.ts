// Backpressure through a streamed answer: while the client reads nothing, Keyhold stops reading the
// upstream, so the upstream's writes stall long before its answer is out; once the client reads,
// every chunk arrives, in order, ending with [DONE].
import http from 'node:http';
import { startGatewayHarness, type GatewayHarness } from '@tests/fixtures/gateway-setup';
import { OWN_UPSTREAM_CREDENTIALS, startOwnUpstream, type OwnUpstream } from '@tests/fixtures/own-upstream';

const CHUNKS = 2000;
const PIECE = 'x'.repeat(20_000);
// 40 MB in all: far more than the socket buffers and stream buffers between the two ends hold.
const TOTAL_BYTES = CHUNKS * PIECE.length;

let h: GatewayHarness;
let upstream: OwnUpstream;
let key: string;
let upstreamWritten = 0;
let upstreamDone = false;

function sseChunk(index: number): string {
  const chunk = { id: 'chatcmpl-bp', object: 'chat.completion.chunk', created: 1, model: 'model-a', choices: [{ index: 0, delta: { content: `${index}:${PIECE}` }, finish_reason: null }] };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

beforeAll(async () => {
  upstream = await startOwnUpstream((req, res) => {
    req.resume();
    req.on('end', async () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < CHUNKS; i += 1) {
        const text = sseChunk(i);
        upstreamWritten += PIECE.length;
        if (!res.write(text)) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end('data: [DONE]\n\n');
      upstreamDone = true;
    });
  });
  h = await startGatewayHarness();
  await h.addAccount({ type: 'openai-compatible', name: 'firehose', enabledModels: ['model-a'], baseUrl: upstream.baseUrl, credentials: OWN_UPSTREAM_CREDENTIALS });
  key = (await h.createKey('member', 'z-slow-reader')).key;
});
afterAll(async () => {
  await h.close();
  await upstream.close();
});

it('holds the upstream back while the client reads nothing, then delivers every chunk', async () => {
  const body = JSON.stringify({ model: 'firehose/model-a', stream: true, messages: [{ role: 'user', content: 'go' }] });
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.request(`${h.app.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } }, resolve);
    req.on('error', reject);
    req.end(body);
  });
  expect(res.statusCode).toBe(200);
  res.pause();
  // Nothing read for a while: the upstream must be stuck far from its end.
  await new Promise((resolve) => setTimeout(resolve, 700));
  const heldAt = upstreamWritten;
  expect(upstreamDone).toBe(false);
  expect(heldAt).toBeLessThan(TOTAL_BYTES / 2);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(upstreamWritten - heldAt).toBeLessThan(1_000_000);

  res.setEncoding('utf8');
  let text = '';
  res.on('data', (part: string) => (text += part));
  res.resume();
  await new Promise((resolve) => res.once('end', resolve));
  const events = text.split('\n\n').filter(Boolean);
  expect(events.at(-1)).toBe('data: [DONE]');
  const indexes = events.slice(0, -1).map((event) => Number((JSON.parse(event.slice('data: '.length)) as { choices: { delta: { content: string } }[] }).choices[0].delta.content.split(':')[0]));
  expect(indexes).toEqual(Array.from({ length: CHUNKS }, (_, i) => i));
  expect(upstreamDone).toBe(true);
}, 30_000);
