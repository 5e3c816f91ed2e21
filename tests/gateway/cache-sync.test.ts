// The hot path reads only memory; these check that memory follows the database: admin changes are
// seen by the very next call, and changes written by another process within the watcher's poll.
import crypto from 'node:crypto';
import { startGatewayHarness, type GatewayHarness } from '@tests/fixtures/gateway-setup';
import { AccessRule } from '@api/models/access-rule';
import { Credential } from '@api/models/credential';
import { ApiKey } from '@api/models/api-key';
import { QueryTypes } from 'sequelize';

let h: GatewayHarness;
let key: string;
let keyId: string;
let accountId: string;

beforeAll(async () => {
  h = await startGatewayHarness();
  accountId = (await h.addAccount({ type: 'openai', name: 'main', enabledModels: ['model-a'] })).id;
  ({ key, id: keyId } = await h.createKey('member', 'z-member-sync'));
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

it('picks up a key revoked by another process in the same millisecond as the newest key change', async () => {
  expect(await call()).toBe(200);
  const stamp = async () =>
    JSON.stringify(await h.app.ctx.sequelize.query('SELECT COUNT(*) AS n, MAX(updated_at) AS latest FROM api_keys', { type: QueryTypes.SELECT }));
  const other = await h.createKey('member', 'z-member-sync-other');
  const newest = (await ApiKey.findByPk(other.id))!.updatedAt;
  // The watcher has seen the table as it is now.
  await h.app.ctx.changes.check();
  const before = await stamp();
  // The other process stamps its revocation with that same millisecond: the table's row count and
  // newest updated_at stay as they were, so only reading the rows changed since then can see it.
  await ApiKey.update({ revokedAt: new Date(), updatedAt: newest }, { where: { id: keyId }, silent: true });
  expect(await stamp()).toBe(before);
  await eventually(401);
});
