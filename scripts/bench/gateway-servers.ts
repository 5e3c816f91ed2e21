// Child process entry for `npm run bench:gateway`: starts one server under test (the fake upstream,
// the bare pass-through proxy, or Keyhold) and prints `{"url":...,"apiKey":...}` as one JSON line.
// It measures nothing itself beyond answering "cpu" on the IPC channel; it runs until SIGTERM, so the
// load generator never shares its event loop.
import fs from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import type { TestApp } from '../../tests/fixtures/test-app';

export interface ServerReady {
  url: string;
  /** Keyhold only: the member's API key (kh-...). */
  apiKey?: string;
}

type Stop = () => Promise<void>;

// The fake and the test app keep every request / log line in memory for assertions; a benchmark
// sends hundreds of thousands, so the arrays are emptied now and then to keep the heap flat.
function trimEvery(list: unknown[], ms = 1000): NodeJS.Timeout {
  return setInterval(() => void (list.length = 0), ms).unref();
}

// Each kind loads only its own modules (imported on demand), so the bare proxy carries no Keyhold code.
async function startFake(): Promise<{ ready: ServerReady; stop: Stop }> {
  const { startFakeUpstream } = await import('../../tests/fixtures/fake-upstream');
  const { FAKE_ACCEPTED } = await import('../../tests/fixtures/fake-upstream/accounts');
  const fake = await startFakeUpstream({ accept: FAKE_ACCEPTED });
  const timer = trimEvery(fake.requests);
  return { ready: { url: fake.url }, stop: async () => (clearInterval(timer), fake.close()) };
}

/**
 * The floor any Node gateway pays: no identity, no checks, no translation. It forwards method,
 * path, body and the caller's own upstream Authorization header over a keep-alive pool, and
 * streams the answer back as it arrives.
 */
async function startBareProxy(upstream: string): Promise<{ ready: ServerReady; stop: Stop }> {
  const pool = new Pool(upstream, { connections: 256, keepAliveTimeout: 30_000, pipelining: 1 });
  const server = createServer((req, res) => {
    const headers: Record<string, string> = { 'content-type': req.headers['content-type'] ?? 'application/json' };
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    if (req.headers['content-length']) headers['content-length'] = req.headers['content-length'];
    pool
      .request({ method: req.method as 'POST', path: req.url ?? '/', headers, body: req })
      .then((answer) => {
        res.writeHead(answer.statusCode, { 'content-type': String(answer.headers['content-type'] ?? 'application/octet-stream') });
        // pipe(), not stream.promises.pipeline(): pipeline makes and aborts an AbortController per
        // call (a DOMException each time, about 25 µs in the proxy's profile), which is no floor.
        answer.body.on('error', () => res.destroy());
        answer.body.pipe(res);
      })
      .catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`bare proxy: ${String(err)}`);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ready: { url },
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pool.close();
    },
  };
}

async function expectStatus(what: string, res: Promise<{ status: number; text: string; json: { id?: string; key?: string } }>, status: number) {
  const answer = await res;
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${answer.text}`);
  return answer.json;
}

/**
 * A full Keyhold (temporary data dir, SQLite) at log level info, configured through its admin API as
 * an owner would: one OpenAI account on the shared fake, one allow rule for members, one member key.
 */
async function startKeyhold(upstream: string): Promise<{ ready: ServerReady; stop: Stop }> {
  const { startTestApp } = await import('../../tests/fixtures/test-app');
  const { GOOD_KEYS, buildFakeAccount } = await import('../../tests/fixtures/fake-upstream/accounts');
  const app: TestApp = await startTestApp({ logLevel: 'info' });
  const timer = trimEvery(app.logs);
  const base = buildFakeAccount('openai', upstream);
  const account = await expectStatus('create account', app.call('POST', '/api/admin/accounts', {
    role: 'owner', body: { name: 'openai-main', type: 'openai', baseUrl: base.baseUrl, enabledModels: ['model-a'] },
  }), 201);
  await expectStatus('create credential', app.call('POST', `/api/admin/accounts/${account.id}/credentials`, {
    role: 'owner', body: { name: 'main', type: 'api_key', value: { api_key: GOOD_KEYS.openai } },
  }), 201);
  // One allow rule that the request must pass, so authorization evaluates a real rule.
  await expectStatus('create rule', app.call('POST', '/api/admin/rules', {
    role: 'owner', body: { name: 'bench-members', models: ['openai-main/*'], roles: ['member'], effect: 'allow' },
  }), 201);
  const created = await expectStatus('create key', app.call('POST', '/api/me/keys', {
    // Limits far above what the bench sends: every call is counted (requests and estimated tokens), none refused.
    headers: { authorization: `Bearer ${app.tokenFor('member', 'z-bench-member')}` }, body: { name: 'bench key', rpm: 1_000_000, tpm: 1_000_000_000 },
  }), 201);
  const stop = async () => {
    clearInterval(timer);
    await app.close();
    fs.rmSync(app.dataDir, { recursive: true, force: true });
  };
  return { ready: { url: app.url, apiKey: created.key }, stop };
}

async function main(): Promise<void> {
  const [kind, upstream] = process.argv.slice(2);
  if (kind !== 'fake' && !upstream) throw new Error(`usage: gateway-servers.ts fake | proxy <upstream-url> | keyhold <upstream-url>`);
  const started = kind === 'fake' ? await startFake() : kind === 'proxy' ? await startBareProxy(upstream) : kind === 'keyhold' ? await startKeyhold(upstream) : null;
  if (!started) throw new Error(`unknown server kind "${kind}"`);
  process.stdout.write(`${JSON.stringify(started.ready)}\n`);
  // The benchmark asks for this process's CPU time around each cell, to report CPU per request.
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.(process.cpuUsage());
  });
  // A clean exit (not death by signal), so `node --cpu-prof` gets to write its profile.
  process.once('SIGTERM', () => {
    started.stop().finally(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench server failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
