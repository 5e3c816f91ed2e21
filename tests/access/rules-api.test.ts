import { startTestApp, type TestApp } from '@tests/fixtures/test-app';
import { AccessRule, AuditEvent } from '@api/models';
import type { Principal } from '@api/identity/principal';
import { putRulesYaml } from './rules-fixtures';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const member: Principal = { kind: 'user', did: 'did:abt:zMember', role: 'member', scopes: ['read', 'write'] };
const GPT4O = 'openai-main/gpt-4o';

async function counts() {
  return { rules: await AccessRule.count(), audits: await AuditEvent.count() };
}

async function lastEvent(action: string, targetId: string) {
  const event = await AuditEvent.findOne({ where: { action, targetId }, order: [['seq', 'DESC']] });
  return { before: event?.before ? JSON.parse(event.before) : null, after: event?.after ? JSON.parse(event.after) : null, found: !!event };
}

describe('rules API', () => {
  let ruleId: string;

  it('creates a rule with every field filled in, audited, and effective on the next authorize()', async () => {
    expect(app.ctx.access.authorize(member, GPT4O).allowed).toBe(true);
    const res = await app.call('POST', '/api/admin/rules', { role: 'admin', body: { name: 'no-gpt4o', models: [GPT4O], roles: ['member'], effect: 'deny' } });
    expect(res.status).toBe(201);
    ruleId = res.json.id;
    expect(res.json).toMatchObject({ name: 'no-gpt4o', models: [GPT4O], users: [], roles: ['member'], components: [], keys: [], effect: 'deny', priority: 0, enabled: true });
    const event = await lastEvent('rule.created', ruleId);
    expect(event.before).toBeNull();
    expect(event.after).toEqual(res.json);
    expect(app.ctx.access.authorize(member, GPT4O)).toEqual({ allowed: false, rule: { id: ruleId, name: 'no-gpt4o' }, reason: 'denied by rule "no-gpt4o"' });
  });

  it('lists rules by priority, highest first, then by file position', async () => {
    const a = await app.call('POST', '/api/admin/rules', { role: 'admin', body: { name: 'a', models: ['*'], effect: 'allow', priority: 5 } });
    const b = await app.call('POST', '/api/admin/rules', { role: 'admin', body: { name: 'b', models: ['*'], effect: 'allow', priority: 5 } });
    const list = await app.call('GET', '/api/admin/rules', { role: 'owner' });
    expect(list.status).toBe(200);
    expect(list.json.data.map((r: { name: string }) => r.name)).toEqual(['a', 'b', 'no-gpt4o']);
    expect((await app.call('GET', `/api/admin/rules/${a.json.id}`, { role: 'admin' })).json.name).toBe('a');
    for (const id of [a.json.id, b.json.id]) expect((await app.call('DELETE', `/api/admin/rules/${id}`, { role: 'admin' })).status).toBe(204);
  });

  it('patches a rule, audits before and after, and rebuilds the matchers', async () => {
    const res = await app.call('PATCH', `/api/admin/rules/${ruleId}`, { role: 'admin', body: { enabled: false, priority: 3 } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: ruleId, name: 'no-gpt4o', enabled: false, priority: 3 });
    const event = await lastEvent('rule.updated', ruleId);
    expect(event.before).toMatchObject({ enabled: true, priority: 0 });
    expect(event.after).toEqual(res.json);
    expect(app.ctx.access.authorize(member, GPT4O).allowed).toBe(true);
    await app.call('PATCH', `/api/admin/rules/${ruleId}`, { role: 'admin', body: { enabled: true, name: null } });
    expect(app.ctx.access.authorize(member, GPT4O)).toMatchObject({ allowed: false, rule: { id: ruleId, name: null } });
  });

  it('deletes a rule with an audit event, and the rule stops applying', async () => {
    const before = (await app.call('GET', `/api/admin/rules/${ruleId}`, { role: 'admin' })).json;
    const res = await app.call('DELETE', `/api/admin/rules/${ruleId}`, { role: 'admin' });
    expect(res.status).toBe(204);
    const event = await lastEvent('rule.deleted', ruleId);
    expect(event.before).toEqual(before);
    expect(event.after).toBeNull();
    expect(app.ctx.access.authorize(member, GPT4O).allowed).toBe(true);
    expect((await app.call('GET', `/api/admin/rules/${ruleId}`, { role: 'admin' })).status).toBe(404);
  });

  it.each([
    ['GET', undefined],
    ['PATCH', { priority: 1 }],
    ['DELETE', undefined],
  ])('answers 404 to %s of an unknown rule, writing nothing', async (method, body) => {
    const before = await counts();
    const res = await app.call(method, '/api/admin/rules/00000000-0000-0000-0000-000000000000', { role: 'admin', body });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('ERR_NOT_FOUND');
    expect(await counts()).toEqual(before);
  });

  it('refuses a member every rule change with 403, changing no rule', async () => {
    const existing = await app.call('POST', '/api/admin/rules', { role: 'admin', body: { models: ['*'], effect: 'allow' } });
    const rulesBefore = await AccessRule.count();
    const attempts = [
      app.call('GET', '/api/admin/rules', { role: 'member' }),
      app.call('POST', '/api/admin/rules', { role: 'member', body: { models: ['*'], effect: 'allow' } }),
      app.call('PATCH', `/api/admin/rules/${existing.json.id}`, { role: 'member', body: { effect: 'deny' } }),
      app.call('DELETE', `/api/admin/rules/${existing.json.id}`, { role: 'member' }),
      putRulesYaml(app, 'authz_rules: []\n', { role: 'member' }),
      app.call('POST', '/api/admin/access/explain', { role: 'member', body: { principal: { role: 'member' }, model: GPT4O } }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('ERR_AUTH_FORBIDDEN');
    }
    expect(await AccessRule.count()).toBe(rulesBefore);
    expect((await AccessRule.findByPk(existing.json.id))?.effect).toBe('allow');
    await app.call('DELETE', `/api/admin/rules/${existing.json.id}`, { role: 'admin' });
  });
});

describe('rule validation', () => {
  it.each([
    ['an unknown field', { models: ['*'], effect: 'allow', teams: ['x'] }, 'teams'],
    ['a missing models list', { effect: 'allow' }, 'models'],
    ['an empty models list', { models: [], effect: 'allow' }, 'models'],
    ['a bad effect', { models: ['*'], effect: 'maybe' }, 'effect'],
    ['a missing effect', { models: ['*'] }, 'effect'],
    ['a priority of the wrong type', { models: ['*'], effect: 'allow', priority: 'high' }, 'priority'],
    ['a fractional priority', { models: ['*'], effect: 'allow', priority: 1.5 }, 'priority'],
    ['a model pattern without an account', { models: ['gpt-4o'], effect: 'allow' }, 'models.0'],
    ['a model pattern with a space', { models: ['openai-main/gpt 4o'], effect: 'allow' }, 'models.0'],
    ['a 257-character pattern', { models: [`a/${'x'.repeat(255)}`], effect: 'allow' }, 'models.0'],
    ['201 patterns', { models: Array.from({ length: 201 }, (_, i) => `a/m${i}`), effect: 'allow' }, 'models'],
    ['an unknown role', { models: ['*'], roles: ['superuser'], effect: 'allow' }, 'roles.0'],
    ['a user DID with a slash', { models: ['*'], users: ['did:abt:z1/../x'], effect: 'allow' }, 'users.0'],
    ['enabled of the wrong type', { models: ['*'], effect: 'allow', enabled: 'yes' }, 'enabled'],
  ])('rejects %s with 400 naming the field, writing nothing', async (_name, body, param) => {
    const before = await counts();
    const res = await app.call('POST', '/api/admin/rules', { role: 'admin', body });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ type: 'invalid_request_error', code: 'ERR_VALIDATION', param });
    expect(res.json.error.message).toContain(param);
    expect(await counts()).toEqual(before);
  });

  it('validates a patch the same way', async () => {
    const created = await app.call('POST', '/api/admin/rules', { role: 'admin', body: { models: ['*'], effect: 'allow' } });
    const before = await counts();
    for (const [body, param] of [[{ models: [] }, 'models'], [{ effect: 'block' }, 'effect'], [{ id: 'x' }, 'id'], [{ position: 3 }, 'position']] as const) {
      const res = await app.call('PATCH', `/api/admin/rules/${created.json.id}`, { role: 'admin', body });
      expect(res.status).toBe(400);
      expect(res.json.error.param).toBe(param);
    }
    expect(await counts()).toEqual(before);
    await app.call('DELETE', `/api/admin/rules/${created.json.id}`, { role: 'admin' });
  });
});
