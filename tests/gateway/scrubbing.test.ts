// An upstream that echoes the credential it received (in its error body and headers) on every kind
// of failure, for every provider, through /v1: the credential must appear in no response, no log
// line, no audit row and nowhere in the database files. Inbound credentials never go upstream.
import fs from 'node:fs';
import path from 'node:path';
import { startGatewayHarness, type GatewayHarness } from '@tests/fixtures/gateway-setup';
import { ECHO_HEADER } from '@tests/fixtures/fake-upstream';
import { GOOD_AWS, GOOD_KEYS } from '@tests/fixtures/fake-upstream/accounts';
import { AuditEvent } from '@api/models/audit-event';
import type { ProviderType } from '@api/gateway/providers/types';

const TYPES: ProviderType[] = ['openai', 'openai-compatible', 'azure-openai', 'anthropic', 'google-gemini', 'aws-bedrock', 'ollama'];
const MODEL = (type: ProviderType) => (type === 'aws-bedrock' ? 'anthropic.claude-3-haiku-20240307-v1:0' : 'model-a');

let h: GatewayHarness;
let key: string;
const responses: string[] = [];

beforeAll(async () => {
  h = await startGatewayHarness();
  for (const type of TYPES) await h.addAccount({ type, name: `echo-${type}`, enabledModels: [MODEL(type)] });
  key = (await h.createKey('member', 'z-member-scrub')).key;
});
afterAll(() => h.close());

async function chat(model: string, stream: boolean) {
  const res = await fetch(`${h.app.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', cookie: 'theme=dark', 'x-forwarded-for': '203.0.113.9', 'x-internal-token': 'internal-123' },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }),
  });
  const text = await res.text();
  responses.push(JSON.stringify([...res.headers.entries()]), text);
  return { status: res.status, text, headers: res.headers };
}

it.each(TYPES)('%s: echoed credentials are scrubbed from 400, 500 and 401 answers', async (type) => {
  const model = `echo-${type}/${MODEL(type)}`;
  // 400: the caller's fault, answered with the upstream's (scrubbed) words.
  h.fake.setMode({ kind: 'echo-credential', status: 400 });
  const bad = await chat(model, false);
  expect(bad.status).toBe(400);
  expect(bad.headers.get(ECHO_HEADER)).toBeNull();
  expect(JSON.parse(bad.text).error.message).toContain('invalid credential received');
  // 500 on a stream request: failover finds nothing else, the answer is a scrubbed 502.
  h.fake.setMode({ kind: 'echo-credential', status: 500 });
  expect((await chat(model, true)).status).toBe(502);
  // 401: the credential is disabled, with a scrubbed reason stored, audited and announced.
  h.fake.setMode({ kind: 'echo-credential', status: 401 });
  const rejected = await chat(model, false);
  expect(rejected.status).toBe(502);
  h.fake.setMode({ kind: 'normal' });
  // The upstream did receive the real credential each time: the scrubbing had something to scrub.
  const received = h.fake.requests.filter((r) => r.presentedCredential).map((r) => r.presentedCredential!);
  const secret = type === 'aws-bedrock' ? GOOD_AWS.accessKeyId : GOOD_KEYS[type];
  expect(received.some((value) => value.includes(secret))).toBe(true);
});

it('leaves no secret and no signature in responses, logs, audit rows or the database', async () => {
  // Let the fire-and-forget disable writes land.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const presented = new Set(h.fake.requests.map((r) => r.presentedCredential).filter((v): v is string => !!v));
  // The whole header value (Bearer …, SigV4 Authorization) and every long part of it.
  const forbidden = new Set<string>([...Object.values(GOOD_KEYS), GOOD_AWS.secretAccessKey]);
  for (const value of presented) {
    for (const part of value.split(/[\s,=]+/)) if (part.length >= 16 && !part.startsWith('AKIA') && part !== 'AWS4-HMAC-SHA256') forbidden.add(part);
  }
  const audit = JSON.stringify(await AuditEvent.findAll({ raw: true }));
  const disabled = await AuditEvent.count({ where: { action: 'credential.disabled' } });
  expect(disabled).toBe(TYPES.length);
  const files = fs.readdirSync(h.app.dataDir).filter((f) => f.startsWith('keyhold.db'));
  const stored = Buffer.concat(files.map((f) => fs.readFileSync(path.join(h.app.dataDir, f))));
  const logs = h.app.logs.join('');
  expect(logs).toContain('Keyhold disabled a provider credential');
  const answered = responses.join('\n');
  expect(answered).toContain('****');
  for (const secret of forbidden) {
    expect({ secret, inResponses: answered.includes(secret) }).toEqual({ secret, inResponses: false });
    expect({ secret, inLogs: logs.includes(secret) }).toEqual({ secret, inLogs: false });
    expect({ secret, inAudit: audit.includes(secret) }).toEqual({ secret, inAudit: false });
    expect({ secret, inDatabase: stored.includes(Buffer.from(secret)) }).toEqual({ secret, inDatabase: false });
  }
});

it('never forwards the caller’s key, cookies or internal headers upstream', () => {
  expect(h.fake.requests.length).toBeGreaterThan(0);
  for (const request of h.fake.requests) {
    const headers = JSON.stringify(request.headers);
    expect(headers).not.toContain(key);
    expect(headers).not.toContain('kh-');
    expect(request.headers.cookie).toBeUndefined();
    expect(request.headers['x-forwarded-for']).toBeUndefined();
    expect(request.headers['x-internal-token']).toBeUndefined();
    expect(request.headers['x-request-id']).toBeUndefined();
  }
});
