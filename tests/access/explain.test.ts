import { startTestApp, type TestApp } from '@tests/fixtures/test-app';
import { ApiKey, AuditEvent } from '@api/models';
import { putRulesYaml } from './rules-fixtures';

let app: TestApp;
const ALICE = 'did:abt:zAlice';
const COMPONENT = 'did:abt:zReports';

beforeAll(async () => {
  app = await startTestApp();
  await ApiKey.create({
    id: 'testkey0000000001',
    hash: 'x'.repeat(64),
    ownerDid: ALICE,
    ownerRole: 'member',
    name: 'alice laptop',
    scopes: ['read', 'write'],
    models: [],
    createdBy: ALICE,
  });
  const res = await putRulesYaml(
    app,
    `authz_rules:
  - name: alice-no-o1
    models: ["*/o1-*"]
    users: [${ALICE}]
    effect: deny
  - name: members-openai
    models: [openai-main/*]
    roles: [member]
    effect: allow
    priority: 2
  - name: that-key-no-4o
    models: [openai-main/gpt-4o]
    keys: [testkey0000000001]
    effect: deny
  - name: reports-embeddings
    models: [openai-main/text-embedding-*]
    components: [${COMPONENT}]
    effect: allow
  - name: guests-mini
    models: [openai-main/gpt-4o-mini]
    roles: [guest]
    effect: allow
`,
  );
  expect(res.status).toBe(200);
});
afterAll(() => app.close());

const explain = (body: unknown) => app.call('POST', '/api/admin/access/explain', { role: 'admin', body });

describe('access explain', () => {
  it.each([
    ['a member by role', { role: 'member' }, 'openai-main/gpt-4o', true, 'members-openai'],
    ['a user by DID and role: deny overrides allow', { did: ALICE, role: 'member' }, 'openai-main/o1-mini', false, 'alice-no-o1'],
    ['a guest allowed by a rule', { role: 'guest' }, 'openai-main/gpt-4o-mini', true, 'guests-mini'],
    ['a key by id: its own deny rule', { keyId: 'testkey0000000001' }, 'openai-main/gpt-4o', false, 'that-key-no-4o'],
    ["a key by id: its owner's rules", { keyId: 'testkey0000000001' }, 'azure-east/o1-preview', false, 'alice-no-o1'],
    ['a component by DID', { componentDid: COMPONENT }, 'openai-main/text-embedding-3-small', true, 'reports-embeddings'],
  ])('explains %s, naming the deciding rule', async (_name, principal, model, allowed, ruleName) => {
    const res = await explain({ principal, model });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ allowed, rule: { id: expect.any(String), name: ruleName } });
    expect(res.json.reason).toBe(`${allowed ? 'allowed' : 'denied'} by rule "${ruleName}"`);
    expect(res.json.matched.map((r: { name: string }) => r.name)).toContain(ruleName);
  });

  it('explains a decision made by the default policy, with no rule', async () => {
    const guest = await explain({ principal: { did: 'did:abt:zGuest', role: 'guest' }, model: 'anthropic-main/claude-sonnet-4' });
    expect(guest.json).toEqual({ allowed: false, rule: null, reason: 'no rule allows role guest', matched: [] });
    const component = await explain({ principal: { componentDid: 'did:abt:zOther' }, model: 'anthropic-main/claude-sonnet-4' });
    expect(component.json).toMatchObject({ allowed: true, rule: null, reason: 'allowed by the default policy (allow-authenticated)' });
  });

  it("applies a key's scopes and model list, and refuses a revoked key", async () => {
    await ApiKey.update({ scopes: ['read'] }, { where: { id: 'testkey0000000001' } });
    const readOnly = await explain({ principal: { keyId: 'testkey0000000001' }, model: 'openai-main/gpt-4o-mini' });
    expect(readOnly.json).toMatchObject({ allowed: false, rule: null, reason: 'the API key lacks the write scope needed to invoke a model' });
    await ApiKey.update({ scopes: ['read', 'write'], models: ['anthropic-main/*'] }, { where: { id: 'testkey0000000001' } });
    const listed = await explain({ principal: { keyId: 'testkey0000000001' }, model: 'openai-main/gpt-4o-mini' });
    expect(listed.json.reason).toBe("the API key's model list does not include openai-main/gpt-4o-mini");
    await ApiKey.update({ models: [], revokedAt: new Date() }, { where: { id: 'testkey0000000001' } });
    const revoked = await explain({ principal: { keyId: 'testkey0000000001' }, model: 'openai-main/gpt-4o-mini' });
    expect(revoked.json).toMatchObject({ allowed: false, rule: null, reason: 'the API key is revoked' });
    await ApiKey.update({ revokedAt: null }, { where: { id: 'testkey0000000001' } });
  });

  it('answers 404 for an unknown key and 400 for a malformed question, writing nothing', async () => {
    const audits = await AuditEvent.count();
    const unknown = await explain({ principal: { keyId: 'nokey000000000000' }, model: 'openai-main/gpt-4o' });
    expect(unknown.status).toBe(404);
    for (const [body, param] of [
      [{ principal: { role: 'member' } }, 'model'],
      [{ principal: { role: 'member' }, model: 'gpt-4o' }, 'model'],
      [{ principal: {}, model: 'openai-main/gpt-4o' }, 'principal.role'],
      [{ principal: { role: 'root' }, model: 'openai-main/gpt-4o' }, 'principal.role'],
      [{ principal: { keyId: 'testkey0000000001', role: 'owner' }, model: 'openai-main/gpt-4o' }, 'principal.role'],
      [{ principal: { keyId: 'testkey0000000001', componentDid: COMPONENT }, model: 'openai-main/gpt-4o' }, 'principal.componentDid'],
      [{ principal: { role: 'member', scopes: ['write'] }, model: 'openai-main/gpt-4o' }, 'principal.scopes'],
    ] as const) {
      const res = await explain(body);
      expect(res.status).toBe(400);
      expect(res.json.error.param).toBe(param);
    }
    expect(await AuditEvent.count()).toBe(audits);
  });
});
