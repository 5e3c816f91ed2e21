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

// Hand-written, in the loose style people write: block lists, fields missing or out of order.
const HAND_WRITTEN = `# rules for the team
authz_rules:
  - name: members-gpt4o
    models: [openai-main/gpt-4o, "openai-main/text-embedding-*"]
    users: [did:abt:z1Alice]
    roles:
      - member
    components: []
    effect: allow
  - effect: deny
    models: ["*/o1-*"]
    priority: 10
  - name: ops component
    components: [did:abt:zOps]
    keys: [key0000000000001]
    models: ['*']
    effect: allow
    enabled: false
`;

async function exportRules(): Promise<string> {
  const res = await app.call('GET', '/api/admin/rules.yaml', { role: 'admin' });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/yaml/);
  return res.text;
}

async function state() {
  return { rules: await AccessRule.count(), audits: await AuditEvent.count(), file: await exportRules() };
}

describe('rules file (YAML)', () => {
  it('imports a file, and export -> import -> export is byte-identical', async () => {
    const imported = await putRulesYaml(app, HAND_WRITTEN);
    expect(imported.status).toBe(200);
    const first = await exportRules();
    expect(first).toBe(`authz_rules:
  - name: members-gpt4o
    models: [openai-main/gpt-4o, openai-main/text-embedding-*]
    users: [did:abt:z1Alice]
    roles: [member]
    components: []
    keys: []
    effect: allow
    priority: 0
    enabled: true
  - models: ["*/o1-*"]
    users: []
    roles: []
    components: []
    keys: []
    effect: deny
    priority: 10
    enabled: true
  - name: ops component
    models: ["*"]
    users: []
    roles: []
    components: [did:abt:zOps]
    keys: [key0000000000001]
    effect: allow
    priority: 0
    enabled: false
`);
    expect((await putRulesYaml(app, first)).status).toBe(200);
    expect(await exportRules()).toBe(first);
  });

  it('replaces every rule in one transaction, with one audit event, effective at once', async () => {
    const oldIds = (await AccessRule.findAll()).map((r) => r.id);
    const beforeView = (await app.call('GET', '/api/admin/rules', { role: 'admin' })).json.data;
    expect(app.ctx.access.authorize(member, 'openai-main/o1-mini')).toMatchObject({ allowed: false, reason: 'denied by rule ' + beforeView[0].id });
    const res = await putRulesYaml(app, 'authz_rules:\n  - name: only\n    models: [openai-main/gpt-4o]\n    roles: [member]\n    effect: deny\n', { contentType: 'text/plain' });
    expect(res.status).toBe(200);
    const rows = await AccessRule.findAll();
    expect(rows.map((r) => r.name)).toEqual(['only']);
    expect(rows.some((r) => oldIds.includes(r.id))).toBe(false);
    const event = await AuditEvent.findOne({ where: { action: 'rules.replaced' }, order: [['seq', 'DESC']] });
    expect(JSON.parse(event!.before!).map((r: { id: string }) => r.id).sort()).toEqual([...oldIds].sort());
    expect(JSON.parse(event!.after!)).toEqual([expect.objectContaining({ id: rows[0].id, name: 'only', position: 0 })]);
    expect(app.ctx.access.authorize(member, 'openai-main/o1-mini').allowed).toBe(true);
    expect(app.ctx.access.authorize(member, 'openai-main/gpt-4o')).toMatchObject({ allowed: false, rule: { name: 'only' } });
  });

  it.each([
    ['a YAML syntax error', 'authz_rules:\n  - models: [a/b]\n    effect: allow\n  - models: [a/b\n    effect: allow\n', 5, 'YAML syntax error', 'body'],
    ['a duplicate key', 'authz_rules:\n  - models: [a/b]\n    effect: allow\n    effect: deny\n', 4, 'Map keys must be unique', 'body'],
    ['a bad effect in the third rule', 'authz_rules:\n  - models: [a/b]\n    effect: allow\n  - models: [a/c]\n    effect: deny\n  - models: [a/d]\n    effect: maybe\n', 7, 'authz_rules[2].effect', 'authz_rules[2].effect'],
    ['an unknown field', 'authz_rules:\n  - models: [a/b]\n    effect: allow\n    teams: [x]\n', 4, 'authz_rules[0].teams: unknown field', 'authz_rules[0].teams'],
    ['a missing models list', 'authz_rules:\n  - effect: allow\n  - name: second\n    effect: allow\n', 2, 'authz_rules[0].models: is required', 'authz_rules[0].models'],
    ['a bad pattern in a block list', 'authz_rules:\n  - effect: allow\n    models:\n      - a/b\n      - not a pattern\n', 5, 'authz_rules[0].models[1]', 'authz_rules[0].models[1]'],
    ['a string priority', 'authz_rules:\n\n  - models: [a/b]\n    effect: allow\n    priority: high\n', 5, 'authz_rules[0].priority', 'authz_rules[0].priority'],
    ['an unquoted leading *', 'authz_rules:\n  - models: [*/gpt-4o]\n    effect: deny\n', 2, 'quote patterns that start with "*"', 'body'],
    ['an unknown top-level key', 'authz_rules: []\nrate_limits: []\n', 2, 'rate_limits: unknown field', 'rate_limits'],
    ['an empty file', '', 1, 'authz_rules', 'body'],
  ])('rejects %s with 400 naming line %i, changing nothing', async (_name, text, line, fragment, param) => {
    const before = await state();
    const res = await putRulesYaml(app, text);
    expect(res.status).toBe(400);
    expect(res.json?.error).toMatchObject({ code: 'ERR_ACCESS_RULES_INVALID', param });
    expect(res.json?.error?.message).toMatch(new RegExp(`^line ${line}: `));
    expect(res.json?.error?.message).toContain(fragment);
    expect(await state()).toEqual(before);
  });

  it('rejects more than 10,000 rules, a body over 1 MB and a non-YAML content type, changing nothing', async () => {
    const before = await state();
    const many = await putRulesYaml(app, `authz_rules:\n${'  - {models: [a/b], effect: allow}\n'.repeat(10_001)}`);
    expect(many.status).toBe(400);
    expect(many.json?.error).toMatchObject({ code: 'ERR_ACCESS_RULES_INVALID', param: 'authz_rules' });
    const huge = await putRulesYaml(app, `authz_rules: []\n#${'x'.repeat(1024 * 1024)}\n`);
    expect(huge.status).toBe(413);
    const json = await putRulesYaml(app, '{"authz_rules": []}', { contentType: 'application/json' });
    expect(json.status).toBe(415);
    expect(await state()).toEqual(before);
  });

  it('exports an empty rule set as an empty list', async () => {
    expect((await putRulesYaml(app, 'authz_rules: []\n', { contentType: 'application/x-yaml' })).status).toBe(200);
    expect(await exportRules()).toBe('authz_rules: []\n');
    expect(await AccessRule.count()).toBe(0);
  });
});
