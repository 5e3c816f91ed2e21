import { AccessControl } from '@api/access/access-control';
import { AccessDenied } from '@api/errors';
import type { SettingsStore, Settings } from '@api/settings/settings';
import { ALICE, key, rule, user } from './rules-fixtures';

function controlWith(policy: Settings['defaultPolicy'] = 'allow-authenticated'): { access: AccessControl; settings: { current: Pick<Settings, 'defaultPolicy'> } } {
  const settings = { current: { defaultPolicy: policy } };
  return { access: new AccessControl(settings as unknown as SettingsStore), settings };
}

const CATALOG = ['openai-main/gpt-4o', 'openai-main/gpt-4o-mini', 'openai-main/text-embedding-3-small', 'anthropic-main/claude-sonnet-4'];

describe('AccessControl', () => {
  it('lists the catalog models a caller may use, in catalog order', () => {
    const { access } = controlWith();
    access.useRules([rule({ models: ['openai-main/gpt-4o'], effect: 'deny' }), rule({ models: ['openai-main/text-*'], roles: ['guest'], effect: 'allow' })]);
    expect(access.allowedModels(user('member'), CATALOG)).toEqual(['openai-main/gpt-4o-mini', 'openai-main/text-embedding-3-small', 'anthropic-main/claude-sonnet-4']);
    expect(access.allowedModels(user('guest'), CATALOG)).toEqual(['openai-main/text-embedding-3-small']);
    expect(access.allowedModels(key({ keyModels: ['anthropic-main/*'] }), CATALOG)).toEqual(['anthropic-main/claude-sonnet-4']);
  });

  it('lets a read-only key list the models it may see but not invoke them', () => {
    const { access } = controlWith();
    const reader = key({ scopes: ['read'] });
    expect(access.allowedModels(reader, CATALOG)).toEqual(CATALOG);
    expect(access.authorize(reader, CATALOG[0]).allowed).toBe(false);
    expect(access.allowedModels(key({ scopes: [] }), CATALOG)).toEqual([]);
  });

  it('throws AccessDenied naming the model and the deciding rule', () => {
    const { access } = controlWith();
    access.useRules([rule({ name: 'no-gpt4o', models: ['openai-main/gpt-4o'], effect: 'deny' })]);
    expect(() => access.ensureAllowed(user('member'), 'openai-main/gpt-4o')).toThrow(AccessDenied);
    try {
      access.ensureAllowed(user('member'), 'openai-main/gpt-4o');
    } catch (err) {
      expect(err).toMatchObject({ status: 403, code: 'ERR_ACCESS_DENIED', type: 'permission_error', param: 'model' });
      expect((err as Error).message).toBe('Model openai-main/gpt-4o is not available to you: denied by rule "no-gpt4o".');
    }
    expect(access.ensureAllowed(user('member'), 'openai-main/gpt-4o-mini').allowed).toBe(true);
  });

  it('applies a default policy change on the next call', () => {
    const { access, settings } = controlWith();
    expect(access.authorize(user('member'), CATALOG[0]).allowed).toBe(true);
    settings.current = { defaultPolicy: 'deny' };
    expect(access.authorize(user('member'), CATALOG[0])).toEqual({ allowed: false, rule: null, reason: 'no rule allows role member and the default policy is deny' });
  });

  it('explains with every matching rule in decision order', () => {
    const { access } = controlWith();
    const low = rule({ name: 'low', models: ['*'], effect: 'allow' });
    const high = rule({ name: 'high', models: ['openai-main/*'], users: [ALICE], effect: 'deny', priority: 9 });
    const other = rule({ name: 'other', models: ['anthropic-main/*'], effect: 'deny' });
    access.useRules([low, high, other]);
    const explanation = access.explain(user('member'), 'openai-main/gpt-4o');
    expect(explanation).toEqual({
      allowed: false,
      rule: { id: high.id, name: 'high' },
      reason: 'denied by rule "high"',
      matched: [
        { id: high.id, name: 'high', effect: 'deny', priority: 9 },
        { id: low.id, name: 'low', effect: 'allow', priority: 0 },
      ],
    });
  });

  it('still answers correctly with 10,000 compiled rules', () => {
    const { access } = controlWith('deny');
    const rules = Array.from({ length: 10_000 }, (_, i) =>
      rule({
        name: `rule-${i}`,
        models: i % 2 ? [`acct-${i % 50}/model-${i}`] : [`acct-${i % 50}/family-${i}-*`],
        users: [`did:abt:zUser${i}`],
        roles: i % 1000 === 0 ? ['member'] : [],
        effect: i % 3 === 0 ? 'deny' : 'allow',
        priority: i % 7,
      }),
    );
    access.useRules(rules);
    expect(access.ruleCount).toBe(10_000);
    const alice = user('member', 'did:abt:zUser4244');
    expect(access.authorize(alice, 'acct-44/family-4244-large')).toEqual({ allowed: true, rule: { id: rules[4244].id, name: 'rule-4244' }, reason: 'allowed by rule "rule-4244"' });
    expect(access.authorize(alice, 'acct-43/model-4243').allowed).toBe(false);
    expect(access.authorize(user('member', 'did:abt:zUser4243'), 'acct-43/model-4243').rule?.name).toBe('rule-4243');
    expect(access.authorize(user('member', 'did:abt:zUser3'), 'acct-3/model-3')).toMatchObject({ allowed: false, rule: { name: 'rule-3' } });
    // rule-0 (deny, role member) reaches every member for its family
    expect(access.authorize(alice, 'acct-0/family-0-x')).toMatchObject({ allowed: false, rule: { name: 'rule-0' } });
  });
});
