// The hot path reads only memory; these check that memory follows the database: admin changes are
// seen by the very next call, and changes written by another process within the watcher's poll.
import crypto from 'node:crypto';
import { startGatewayHarness, type GatewayHarness } from '@tests/fixtures/gateway-setup';
import { AccessRule } from '@api/models/access-rule';
import { Credential } from '@api/models/credential';

let h: GatewayHarness;
let key: string;
let accountId: string;

beforeAll(async () => {
  h = await startGatewayHarness();
  accountId = (await h.addAccount({ type: 'openai', name: 'main', enabledModels: ['model-a'] })).id;
  key = (await h.createKey('member', 'z-member-sync')).key;
});
afterAll(() => h.close());

const call = () =>
  fetch(`${h.app.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }] }),
  }).then((res) => res.status);

async function eventually(expected: number, timeoutMs = 4000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let status = await call();
  while (status !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = await call();
  }
  expect(status).toBe(expected);
}

it('sees an admin disabling an account on the very next call', async () => {
  expect(await call()).toBe(200);
  expect((await h.app.call('PATCH', `/api/admin/accounts/${accountId}`, { role: 'owner', body: { enabled: false } })).status).toBe(200);
  expect(await call()).toBe(404);
  await h.app.call('PATCH', `/api/admin/accounts/${accountId}`, { role: 'owner', body: { enabled: true } });
  expect(await call()).toBe(200);
});

it('picks up a rule written by another process', async () => {
  const now = new Date();
  await AccessRule.create({
    id: crypto.randomUUID(), name: 'written elsewhere', position: 99, models: ['main/*'], users: [], roles: ['member'], components: [], keys: [],
    effect: 'deny', priority: 0, enabled: true, createdAt: now, updatedAt: now,
  } as never);
  await eventually(403);
  await AccessRule.destroy({ where: { name: 'written elsewhere' } });
  await eventually(200);
});

it('picks up a credential disabled by another process', async () => {
  await Credential.update({ enabled: false }, { where: { accountId } });
  await eventually(503);
  await Credential.update({ enabled: true }, { where: { accountId } });
  await eventually(200);
});

it('records when a credential was last used without waking the catalog reload', async () => {
  expect(await call()).toBe(200);
  const before = (await Credential.findOne({ where: { accountId } }))!;
  await h.app.ctx.gateway.lastUse.flush();
  const after = (await Credential.findOne({ where: { accountId } }))!;
  expect(after.lastUsedAt).toBeInstanceOf(Date);
  expect(after.updatedAt.getTime()).toBe(before.updatedAt.getTime());
});
