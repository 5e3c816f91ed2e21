import { compileRules } from '@api/access/compile-rules';
import { evaluateAccess, type DefaultPolicy } from '@api/access/evaluate-access';
import type { RuleDefinition } from '@api/access/rule-schema';
import type { Principal } from '@api/identity/principal';
import { ALICE, BOB, COMPONENT, component, key, rule, user } from './rules-fixtures';

interface Row {
  rules: RuleDefinition[];
  principal: Principal;
  model: string;
  policy?: DefaultPolicy;
}
interface Expected {
  allowed: boolean;
  rule: string | null;
  reason: string;
}

const GPT4O = 'openai-main/gpt-4o';

describe('authorize decision table', () => {
  it.each<[string, Row, Expected]>([
    // deny overrides allow, and priority picks the reported rule
    ['deny overrides a higher-priority allow',
      { rules: [rule({ name: 'everything', models: ['*'], roles: ['member'], effect: 'allow', priority: 10 }), rule({ name: 'no-gpt4o', models: [GPT4O], roles: ['member'], effect: 'deny' })], principal: user('member'), model: GPT4O },
      { allowed: false, rule: 'no-gpt4o', reason: 'denied by rule "no-gpt4o"' }],
    ['the highest-priority deny is reported',
      { rules: [rule({ name: 'low', models: ['*'], effect: 'deny', priority: 1 }), rule({ name: 'high', models: [GPT4O], effect: 'deny', priority: 5 })], principal: user('member'), model: GPT4O },
      { allowed: false, rule: 'high', reason: 'denied by rule "high"' }],
    ['equal priorities: the first in the file is reported',
      { rules: [rule({ name: 'first', models: ['*'], effect: 'deny' }), rule({ name: 'second', models: [GPT4O], effect: 'deny' })], principal: user('member'), model: GPT4O },
      { allowed: false, rule: 'first', reason: 'denied by rule "first"' }],
    ['the highest-priority allow is reported',
      { rules: [rule({ name: 'a', models: ['*'], roles: ['guest'], effect: 'allow' }), rule({ name: 'b', models: [GPT4O], roles: ['guest'], effect: 'allow', priority: 3 })], principal: user('guest'), model: GPT4O },
      { allowed: true, rule: 'b', reason: 'allowed by rule "b"' }],
    ['an unnamed rule is reported by id',
      { rules: [rule({ id: 'r-unnamed', models: [GPT4O], effect: 'deny' })], principal: user('member'), model: GPT4O },
      { allowed: false, rule: null, reason: 'denied by rule r-unnamed' }],
    // wildcard patterns
    ['openai-main/* matches a model of that account',
      { rules: [rule({ name: 'no-openai', models: ['openai-main/*'], effect: 'deny' })], principal: user('member'), model: 'openai-main/o3-mini' },
      { allowed: false, rule: 'no-openai', reason: 'denied by rule "no-openai"' }],
    ['openai-main/* does not match another account',
      { rules: [rule({ name: 'no-openai', models: ['openai-main/*'], effect: 'deny' })], principal: user('member'), model: 'anthropic-main/claude-sonnet-4' },
      { allowed: true, rule: null, reason: 'allowed by the default policy (allow-authenticated)' }],
    ['*/gpt-4o matches the model in any account',
      { rules: [rule({ name: 'no-4o', models: ['*/gpt-4o'], effect: 'deny' })], principal: user('member'), model: 'azure-east/gpt-4o' },
      { allowed: false, rule: 'no-4o', reason: 'denied by rule "no-4o"' }],
    ['*/gpt-4o does not match gpt-4o-mini',
      { rules: [rule({ name: 'no-4o', models: ['*/gpt-4o'], effect: 'deny' })], principal: user('member'), model: 'azure-east/gpt-4o-mini' },
      { allowed: true, rule: null, reason: 'allowed by the default policy (allow-authenticated)' }],
    ['* matches everything',
      { rules: [rule({ name: 'all', models: ['*'], roles: ['guest'], effect: 'allow' })], principal: user('guest'), model: 'ollama-local/llama3:8b' },
      { allowed: true, rule: 'all', reason: 'allowed by rule "all"' }],
    ['openai-main/text-embedding-* matches an embedding model',
      { rules: [rule({ name: 'embeddings', models: ['openai-main/text-embedding-*'], roles: ['guest'], effect: 'allow' })], principal: user('guest'), model: 'openai-main/text-embedding-3-small' },
      { allowed: true, rule: 'embeddings', reason: 'allowed by rule "embeddings"' }],
    ['openai-main/text-embedding-* does not match a chat model',
      { rules: [rule({ name: 'embeddings', models: ['openai-main/text-embedding-*'], roles: ['guest'], effect: 'allow' })], principal: user('guest'), model: GPT4O },
      { allowed: false, rule: null, reason: 'no rule allows role guest' }],
    ['a pattern matches whatever the case of the requested name',
      { rules: [rule({ name: 'no-gpt4o', models: [GPT4O], effect: 'deny' })], principal: user('member'), model: 'OpenAI-Main/GPT-4o' },
      { allowed: false, rule: 'no-gpt4o', reason: 'denied by rule "no-gpt4o"' }],
    // subjects
    ['a rule for a user DID applies to that user',
      { rules: [rule({ name: 'alice', models: [GPT4O], users: [ALICE], effect: 'deny' })], principal: user('member', ALICE), model: GPT4O },
      { allowed: false, rule: 'alice', reason: 'denied by rule "alice"' }],
    ['a rule for a user DID does not apply to another user',
      { rules: [rule({ name: 'alice', models: [GPT4O], users: [ALICE], effect: 'deny' })], principal: user('member', BOB), model: GPT4O },
      { allowed: true, rule: null, reason: 'allowed by the default policy (allow-authenticated)' }],
    ["a key's owner DID counts as its user",
      { rules: [rule({ name: 'alice', models: [GPT4O], users: [ALICE], effect: 'deny' })], principal: key({ did: ALICE }), model: GPT4O },
      { allowed: false, rule: 'alice', reason: 'denied by rule "alice"' }],
    ['a rule for a role applies to that role only',
      { rules: [rule({ name: 'guests', models: [GPT4O], roles: ['guest'], effect: 'allow' })], principal: user('guest'), model: GPT4O },
      { allowed: true, rule: 'guests', reason: 'allowed by rule "guests"' }],
    ['a rule for a component DID applies to that component',
      { rules: [rule({ name: 'comp', models: [GPT4O], components: [COMPONENT], effect: 'deny' })], principal: component(), model: GPT4O },
      { allowed: false, rule: 'comp', reason: 'denied by rule "comp"' }],
    ['a rule for a component DID does not apply to another component',
      { rules: [rule({ name: 'comp', models: [GPT4O], components: [COMPONENT], effect: 'deny' })], principal: component('did:abt:zOther'), model: GPT4O },
      { allowed: true, rule: null, reason: 'allowed by the default policy (allow-authenticated)' }],
    ['a rule for a key id applies to that key',
      { rules: [rule({ name: 'that-key', models: [GPT4O], keys: ['key0000000000001'], effect: 'deny' })], principal: key(), model: GPT4O },
      { allowed: false, rule: 'that-key', reason: 'denied by rule "that-key"' }],
    ['a rule for a key id does not apply to its owner logged in',
      { rules: [rule({ name: 'that-key', models: [GPT4O], keys: ['key0000000000001'], effect: 'deny' })], principal: user('member', ALICE), model: GPT4O },
      { allowed: true, rule: null, reason: 'allowed by the default policy (allow-authenticated)' }],
    ['a rule without subjects applies to every caller',
      { rules: [rule({ name: 'nobody-gets-4o', models: [GPT4O], effect: 'deny' })], principal: component(), model: GPT4O },
      { allowed: false, rule: 'nobody-gets-4o', reason: 'denied by rule "nobody-gets-4o"' }],
    ['a deny rule applies to an admin too',
      { rules: [rule({ name: 'admins-no-4o', models: [GPT4O], roles: ['admin'], effect: 'deny' })], principal: user('admin'), model: GPT4O },
      { allowed: false, rule: 'admins-no-4o', reason: 'denied by rule "admins-no-4o"' }],
    ['a disabled rule is ignored',
      { rules: [rule({ name: 'off', models: ['*'], effect: 'deny', enabled: false })], principal: user('member'), model: GPT4O },
      { allowed: true, rule: null, reason: 'allowed by the default policy (allow-authenticated)' }],
    // scope and the key's own model list come first
    ["a key's model list that does not include the model denies, whatever the rules",
      { rules: [rule({ name: 'all', models: ['*'], effect: 'allow' })], principal: key({ keyModels: ['openai-main/gpt-4o-mini'] }), model: GPT4O },
      { allowed: false, rule: null, reason: "the API key's model list does not include openai-main/gpt-4o" }],
    ["a key's model list that includes the model lets the rules decide",
      { rules: [rule({ name: 'no-4o', models: [GPT4O], effect: 'deny' })], principal: key({ keyModels: ['openai-main/*'] }), model: GPT4O },
      { allowed: false, rule: 'no-4o', reason: 'denied by rule "no-4o"' }],
    ['an empty key model list is no restriction',
      { rules: [], principal: key({ keyModels: [] }), model: GPT4O },
      { allowed: true, rule: null, reason: 'allowed by the default policy (allow-authenticated)' }],
    ['a read-only key may not invoke a model, whatever the rules',
      { rules: [rule({ name: 'all', models: ['*'], effect: 'allow' })], principal: key({ scopes: ['read'] }), model: GPT4O },
      { allowed: false, rule: null, reason: 'the API key lacks the write scope needed to invoke a model' }],
    ['a login without the write scope may not invoke a model',
      { rules: [], principal: { ...user('member'), scopes: ['read'] }, model: GPT4O },
      { allowed: false, rule: null, reason: 'the login lacks the write scope needed to invoke a model' }],
    // default policy
    ['allow-authenticated allows a member',
      { rules: [], principal: user('member'), model: GPT4O },
      { allowed: true, rule: null, reason: 'allowed by the default policy (allow-authenticated)' }],
    ['allow-authenticated allows a component',
      { rules: [], principal: component(), model: GPT4O },
      { allowed: true, rule: null, reason: 'allowed by the default policy (allow-authenticated)' }],
    ['allow-authenticated does not allow a guest',
      { rules: [], principal: user('guest'), model: GPT4O },
      { allowed: false, rule: null, reason: 'no rule allows role guest' }],
    ['a guest is allowed by an explicit rule',
      { rules: [rule({ name: 'guest-4o', models: [GPT4O], users: [ALICE], effect: 'allow' })], principal: user('guest', ALICE), model: GPT4O },
      { allowed: true, rule: 'guest-4o', reason: 'allowed by rule "guest-4o"' }],
    ['deny denies a member',
      { rules: [], principal: user('member'), model: GPT4O, policy: 'deny' },
      { allowed: false, rule: null, reason: 'no rule allows role member and the default policy is deny' }],
    ['deny denies a component',
      { rules: [], principal: component(), model: GPT4O, policy: 'deny' },
      { allowed: false, rule: null, reason: 'no rule allows role component and the default policy is deny' }],
    ['deny still allows an owner',
      { rules: [], principal: user('owner'), model: GPT4O, policy: 'deny' },
      { allowed: true, rule: null, reason: 'allowed by the default policy (deny)' }],
    ['deny still allows an admin',
      { rules: [], principal: user('admin'), model: GPT4O, policy: 'deny' },
      { allowed: true, rule: null, reason: 'allowed by the default policy (deny)' }],
    ['under deny, an allow rule lets a member in',
      { rules: [rule({ name: 'members-4o', models: [GPT4O], roles: ['member'], effect: 'allow' })], principal: user('member'), model: GPT4O, policy: 'deny' },
      { allowed: true, rule: 'members-4o', reason: 'allowed by rule "members-4o"' }],
  ])('%s', (_title, row, expected) => {
    const decision = evaluateAccess(compileRules(row.rules), row.policy ?? 'allow-authenticated', row.principal, row.model);
    expect(decision.allowed).toBe(expected.allowed);
    expect(decision.reason).toBe(expected.reason);
    if (expected.rule) expect(decision.rule).toEqual({ id: expect.any(String), name: expected.rule });
    else if (expected.reason.startsWith('denied by rule')) expect(decision.rule?.name).toBeNull();
    else expect(decision.rule).toBeNull();
  });
});
