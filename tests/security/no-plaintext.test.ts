// The vault's promise, checked by looking: after storing credentials, using them, logging at debug
// level and provoking errors, no plaintext secret is in the SQLite files, the logs or any response.
import fs from 'node:fs';
import path from 'node:path';
import { startTestApp, type TestApp } from '@tests/fixtures/test-app';
import { startFakeUpstream, type FakeUpstream } from '@tests/fixtures/fake-upstream';
import { FAKE_ACCEPTED, GOOD_AWS, GOOD_KEYS, buildFakeAccount } from '@tests/fixtures/fake-upstream/accounts';
import { prepareRuntime } from '@api/startup';
import { sealEncRef } from '@api/vault/secret-ref';
import type { ProviderType } from '@api/accounts/provider-types';

const ENV_IMPORTED = 'sk-env-imported-plaintext-0123456789';
const REPLACED = 'sk-fake-openai-replaced-0123456789abcdef';
const ENC_REF_VALUE = 'sk-enc-ref-plaintext-0123456789abcdef';

let app: TestApp;
let upstream: FakeUpstream;
const responses: string[] = [];

async function call(method: string, urlPath: string, body?: unknown) {
  const res = await app.call(method, urlPath, { role: 'owner', body });
  // Everything a client could see: status line data, headers and body.
  responses.push(JSON.stringify([...res.headers.entries()]), res.text);
  return res;
}

beforeAll(async () => {
  upstream = await startFakeUpstream({ accept: { ...FAKE_ACCEPTED, apiKeys: { ...FAKE_ACCEPTED.apiKeys, openai: [GOOD_KEYS.openai, REPLACED] } } });
  app = await startTestApp({ logLevel: 'debug', env: { OPENAI_API_KEY: ENV_IMPORTED } });
  await prepareRuntime(app.ctx);
});
afterAll(async () => {
  await app.close();
  await upstream.close();
});

const secrets = [...Object.values(GOOD_KEYS), GOOD_AWS.secretAccessKey, ENV_IMPORTED, REPLACED, ENC_REF_VALUE];

it('keeps every plaintext secret out of the database, the logs and every response', async () => {
  const types = Object.keys(GOOD_KEYS).concat('aws-bedrock') as ProviderType[];
  for (const type of types) {
    const fake = buildFakeAccount(type, upstream.url);
    const account = await call('POST', '/api/admin/accounts', { name: `${type}-acct`, type, baseUrl: fake.baseUrl, region: fake.region });
    expect(account.status).toBe(201);
    const value = type === 'aws-bedrock'
      ? { access_key_id: GOOD_AWS.accessKeyId, secret_access_key: GOOD_AWS.secretAccessKey }
      : { api_key: GOOD_KEYS[type as Exclude<ProviderType, 'aws-bedrock'>] };
    const credential = await call('POST', `/api/admin/accounts/${account.json.id}/credentials`, { name: 'main', type: type === 'aws-bedrock' ? 'access_key_pair' : 'api_key', value });
    expect(credential.status).toBe(201);
    // Use it: the real list-models call against the fake upstream.
    const tested = await call('POST', `/api/admin/accounts/${account.json.id}/credentials/${credential.json.id}/test`);
    expect(tested.json).toMatchObject({ ok: true, models: 3 });
    // An upstream that echoes the credential it received, in its body and headers.
    upstream.setMode({ kind: 'echo-credential', status: 401 });
    const echoed = await call('POST', `/api/admin/accounts/${account.json.id}/credentials/${credential.json.id}/test`);
    upstream.setMode({ kind: 'normal' });
    expect(echoed.json.ok).toBe(false);
    expect(echoed.json.credential.lastError).toEqual(expect.any(String));
  }

  const openai = (await call('GET', '/api/admin/accounts')).json.data.find((a: { name: string }) => a.name === 'openai-acct');
  const [main] = (await call('GET', `/api/admin/accounts/${openai.id}/credentials`)).json.data;
  // Hot replacement, then a use with the new value.
  await call('PATCH', `/api/admin/accounts/${openai.id}/credentials/${main.id}`, { value: { api_key: REPLACED } });
  expect((await call('POST', `/api/admin/accounts/${openai.id}/credentials/${main.id}/test`)).json.ok).toBe(true);
  await call('POST', `/api/admin/accounts/${openai.id}/credentials`, { name: 'sealed-ref', type: 'api_key', ref: sealEncRef(app.ctx.rootKey, ENC_REF_VALUE) });
  // Errors that carry secrets in their input: a bad field, a wrong-typed field, an unknown account.
  await call('POST', `/api/admin/accounts/${openai.id}/credentials`, { name: 'bad', type: 'api_key', value: { api_key: REPLACED, extra: REPLACED } });
  await call('POST', `/api/admin/accounts/${openai.id}/credentials`, { name: 'main', type: 'api_key', value: { api_key: REPLACED } });
  await call('POST', '/api/admin/accounts/nope/credentials', { name: 'x', type: 'api_key', value: { api_key: REPLACED } });
  await call('PATCH', `/api/admin/accounts/${openai.id}/credentials/${main.id}`, { ref: `env:${REPLACED}` });
  // A rotation re-seals everything, then the audit trail and keyring are read back.
  await call('POST', '/api/admin/keyring/rotate');
  for (let i = 0; i < 50 && (await call('GET', '/api/admin/keyring')).json.progress.running; i += 1) await new Promise((r) => setTimeout(r, 20));
  await call('GET', '/api/admin/audit?limit=500');
  for (const account of (await call('GET', '/api/admin/accounts')).json.data) await call('GET', `/api/admin/accounts/${account.id}/credentials`);

  // Look: the SQLite files' bytes (WAL included), every log line, every response.
  const files = fs.readdirSync(app.dataDir).filter((f) => f.startsWith('keyhold.db'));
  expect(files).toContain('keyhold.db');
  const stored = Buffer.concat(files.map((f) => fs.readFileSync(path.join(app.dataDir, f))));
  const logs = app.logs.join('');
  const answered = responses.join('\n');
  expect(app.logs.length).toBeGreaterThan(40);
  expect(logs).toContain('credential tested');
  expect(answered).toContain('****');
  for (const secret of secrets) {
    expect({ secret, inDatabase: stored.includes(Buffer.from(secret)) }).toEqual({ secret, inDatabase: false });
    expect({ secret, inLogs: logs.includes(secret) }).toEqual({ secret, inLogs: false });
    expect({ secret, inResponses: answered.includes(secret) }).toEqual({ secret, inResponses: false });
  }
  // The login tokens used as Bearer are redacted from the request log too.
  expect(logs).not.toContain(app.tokenFor('owner').split('.')[2]);
  expect(logs).toContain('[redacted]');
});
