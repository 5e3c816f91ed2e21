// A real standalone Keyhold (scripts/start.ts) in a child process serves /v1 chat calls from 16
// concurrent clients and is killed with SIGKILL mid-load. After a restart on the same data
// directory, every answer a client received in full has its usage record, exactly once.
import { startGatewayHarness } from '@tests/fixtures/gateway-setup';
import { startKeyholdChild, type KeyholdChild } from '@tests/fixtures/keyhold-child';
import { csvObjects } from '@tests/fixtures/usage-records';

const CLIENTS = 16;
const KILL_AFTER = 600;

/** One chat call; the request id when the whole 2xx answer arrived, else null. */
async function callOnce(url: string, key: string, stream: boolean): Promise<string | null> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'model-a', messages: [{ role: 'user', content: 'count me' }], stream }),
  });
  const text = await res.text();
  if (res.status < 200 || res.status > 299) throw new Error(`unexpected status ${res.status}: ${text}`);
  const complete = stream ? text.endsWith('data: [DONE]\n\n') : JSON.parse(text).object === 'chat.completion';
  return complete ? res.headers.get('x-request-id') : null;
}

it('keeps a usage record for every 2xx answer a client received, across a SIGKILL under load', async () => {
  const h = await startGatewayHarness();
  let appOpen = true;
  let child: KeyholdChild | null = null;
  try {
    await h.addAccount({ type: 'openai', name: 'crash', enabledModels: ['model-a'] });
    const { key } = await h.createKey('member', 'z-crash-member');
    const { dataDir } = h.app;
    const ownerToken = h.app.tokenFor('owner', 'z-crash-owner');
    const since = new Date(Date.now() - 60_000).toISOString();
    await h.app.close();
    appOpen = false;

    child = await startKeyholdChild(dataDir);
    const received: string[] = [];
    let killed = false;
    // Each client calls until its call fails, which is how it learns of the kill.
    const deadline = Date.now() + 40_000;
    const client = async (n: number) => {
      for (let i = 0; ; i += 1) {
        if (Date.now() > deadline) throw new Error(`only ${received.length} complete answers in 40 s`);
        try {
          const id = await callOnce(child!.url, key, (n + i) % 2 === 0);
          if (id) received.push(id);
        } catch (err) {
          if (!killed) throw err; // before the kill, every call must succeed
          return;
        }
        if (received.length >= KILL_AFTER && !killed) {
          killed = true;
          child!.process.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
    expect(await child.exited).toBe('SIGKILL');
    expect(received.length).toBeGreaterThanOrEqual(KILL_AFTER);

    child = await startKeyholdChild(dataDir);
    const until = new Date(Date.now() + 60_000).toISOString();
    const res = await fetch(`${child.url}/api/admin/usage?format=csv&since=${since}&until=${until}`, { headers: { authorization: `Bearer ${ownerToken}` } });
    expect(res.status).toBe(200);
    const rows = csvObjects(await res.text());

    const ok = rows.filter((r) => r.status === '200');
    expect(ok.length).toBeGreaterThanOrEqual(received.length);
    const stored = new Set(ok.map((r) => r.request_id));
    expect(received.filter((id) => !stored.has(id))).toEqual([]);
    expect(new Set(rows.map((r) => r.record_id)).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(rows.length);
  } finally {
    child?.process.kill('SIGKILL');
    await child?.exited;
    if (appOpen) await h.app.close();
    await h.fake.close();
  }
});
