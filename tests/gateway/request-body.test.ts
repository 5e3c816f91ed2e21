// How /v1 reads a request body: whole, in pieces, chunked without a length, over the cap (the rest
// is read and dropped, within a second), empty; and a keep-alive connection stays usable after each.
import http from 'node:http';
import net from 'node:net';
import { startGatewayHarness, type GatewayHarness } from '@tests/fixtures/gateway-setup';

const MAX_BODY_BYTES = 4096;
let h: GatewayHarness;
let key: string;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  h = await startGatewayHarness({ env: { KEYHOLD_MAX_BODY_BYTES: String(MAX_BODY_BYTES) } });
  await h.addAccount({ type: 'openai', name: 'main', enabledModels: ['model-a'] });
  key = (await h.createKey('member', 'z-body-reader')).key;
});
afterAll(async () => {
  agent.destroy();
  await h.close();
});

interface Answer {
  status: number;
  json: { error?: { code: string; message: string }; choices?: unknown[] };
  socket: unknown;
}

/** Sends the body as the given pieces, pausing between them; no content-length when `chunked`. */
function post(pieces: string[], options: { chunked?: boolean; pauseMs?: number } = {}): Promise<Answer> {
  const total = Buffer.byteLength(pieces.join(''));
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  if (!options.chunked) headers['content-length'] = String(total);
  return new Promise((resolve, reject) => {
    const req = http.request(`${h.app.url}/v1/chat/completions`, { method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')), socket: req.socket }));
    });
    req.on('error', reject);
    void (async () => {
      for (const [i, piece] of pieces.entries()) {
        if (i > 0) await new Promise((r) => setTimeout(r, options.pauseMs ?? 30));
        req.write(piece);
      }
      req.end();
    })();
  });
}

const chat = JSON.stringify({ model: 'main/model-a', messages: [{ role: 'user', content: 'hi' }] });

describe('reading the /v1 request body', () => {
  it('answers a body that came whole, then one sent in pieces, on the same keep-alive connection', async () => {
    const whole = await post([chat]);
    expect(whole.status).toBe(200);
    expect(whole.json.choices).toHaveLength(1);
    const pieces = await post([chat.slice(0, 10), chat.slice(10, 30), chat.slice(30)]);
    expect(pieces.status).toBe(200);
    expect(pieces.socket).toBe(whole.socket);
  });

  it('forwards a whole body with multi-byte text exactly, as it was sent', async () => {
    // Content-Length counts bytes: a body taken whole from the request's buffer is the same bytes.
    const content = 'grüße, 你好 👋 — "quoted" \\ back\nslash';
    const before = h.fake.requests.length;
    const answer = await post([JSON.stringify({ model: 'main/model-a', messages: [{ role: 'user', content }] })]);
    expect(answer.status).toBe(200);
    const sent = h.fake.requests.slice(before).map((r) => JSON.parse(r.body) as { messages: { content: string }[] });
    expect(sent).toHaveLength(1);
    expect(sent[0].messages[0].content).toBe(content);
  });

  it('answers two requests written in one packet on one connection, each with its own body', async () => {
    // Pipelined: the second request's bytes follow the first's body in the same read.
    const bodies = ['one', 'two'].map((word) => JSON.stringify({ model: 'main/model-a', messages: [{ role: 'user', content: word }] }));
    const head = (body: string) =>
      `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${key}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`;
    const before = h.fake.requests.length;
    const text = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(new URL(h.app.url).port), '127.0.0.1', () => socket.write(bodies.map((b) => head(b) + b).join('')));
      let received = '';
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('utf8');
        if ((received.match(/HTTP\/1\.1 200/g) ?? []).length === 2 && received.trimEnd().endsWith('}')) socket.end();
      });
      socket.on('end', () => resolve(received));
      socket.on('error', reject);
      setTimeout(() => (socket.destroy(), reject(new Error(`two answers did not arrive: ${received}`))), 5000).unref();
    });
    expect((text.match(/HTTP\/1\.1 200/g) ?? []).length).toBe(2);
    const sent = h.fake.requests.slice(before).map((r) => (JSON.parse(r.body) as { messages: { content: string }[] }).messages[0].content);
    expect(sent).toEqual(['one', 'two']);
  });

  it('answers a chunked body without content-length, sent in pieces', async () => {
    const answer = await post([chat.slice(0, 25), chat.slice(25)], { chunked: true });
    expect(answer.status).toBe(200);
    expect(answer.json.choices).toHaveLength(1);
  });

  it('refuses a chunked body that grows past the cap with 413, and one declared too long up front', async () => {
    const padded = JSON.stringify({ model: 'main/model-a', messages: [{ role: 'user', content: 'x'.repeat(MAX_BODY_BYTES) }] });
    const chunked = await post([padded.slice(0, 100), padded.slice(100)], { chunked: true });
    expect(chunked.status).toBe(413);
    expect(chunked.json.error?.code).toBe('ERR_BODY_TOO_LARGE');
    const declared = await post([padded]);
    expect(declared.status).toBe(413);
    expect(declared.json.error?.code).toBe('ERR_BODY_TOO_LARGE');
    // The rest of each refused body was read and dropped as body: the connection serves the next call.
    const next = await post([chat]);
    expect(next.status).toBe(200);
    expect(next.socket).toBe(declared.socket);
  });

  it('answers 413 to a body that never ends, and closes its connection a second later', async () => {
    const started = Date.now();
    const { status, closedAfterMs } = await new Promise<{ status: number; closedAfterMs: number }>((resolve, reject) => {
      const req = http.request(`${h.app.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } });
      req.on('error', () => undefined);
      const timer = setTimeout(() => reject(new Error('the connection was not closed')), 5000);
      req.on('response', (res) => {
        res.resume();
        req.socket?.once('close', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, closedAfterMs: Date.now() - started });
        });
      });
      req.write(`{"model":"main/model-a","messages":[{"role":"user","content":"${'x'.repeat(MAX_BODY_BYTES)}`);
      // ...and nothing more: no end of the body, ever.
    });
    expect(status).toBe(413);
    expect(closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(closedAfterMs).toBeLessThan(3000);
  });

  it('refuses an empty body and malformed JSON with 400, and the connection still serves the next call', async () => {
    const empty = await post([]);
    expect(empty.status).toBe(400);
    expect(empty.json.error?.message).toMatch(/JSON object is required/);
    const malformed = await post(['{"model":', '"main/model-a"'], { pauseMs: 20 });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error?.message).toMatch(/malformed JSON/);
    const after = await post([chat]);
    expect(after.status).toBe(200);
  });

  it('leaves no call open once its answers are out, refused ones included', async () => {
    // Each call leaves the gateway's count of open calls when it records; a call that did not
    // would make every later record wait for the end of its turn, and the count would only grow.
    const padded = JSON.stringify({ model: 'main/model-a', messages: [{ role: 'user', content: 'x'.repeat(MAX_BODY_BYTES) }] });
    const sends = () => [post([chat]), post([padded]), post([padded.slice(0, 100), padded.slice(100)], { chunked: true }), post([]), post(['{"model":'])];
    const answers = await Promise.all([...sends(), ...sends()].map((sent) => sent.then((a) => a.status)));
    expect(answers).toEqual([200, 413, 413, 400, 400, 200, 413, 413, 400, 400]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.app.ctx.gateway.openCalls.count).toBe(0);
  });
});
