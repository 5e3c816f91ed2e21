// The decision for one model call: scope, then the key's own model list, then the rules (deny
// overrides allow), then the default policy. Pure and synchronous: no database, no clock.
import type { Principal } from '../identity/principal';
import type { Settings } from '../settings/settings';
import { compileModelPatterns, normalizeModelName, splitModelName, type ModelMatcher } from './model-pattern';
import type { CompiledRule } from './model-index';
import type { CompiledRuleSet, RuleBucket } from './compile-rules';
import type { RuleLimits } from './rule-schema';

export type DefaultPolicy = Settings['defaultPolicy'];

export interface RuleRef {
  id: string;
  name: string | null;
}

export interface AccessDecision {
  allowed: boolean;
  /** The deciding rule, or null when scope, the key's model list or the default policy decided. */
  rule: RuleRef | null;
  reason: string;
  /** The deciding allow rule's rate limits, when it carries any: they apply to this call. */
  limits?: RuleLimits | null;
}

// Keys' allow-lists are compiled once per list; identity caches a principal per key, so the
// array is the same object from one request to the next.
const keyMatchers = new WeakMap<readonly string[], ModelMatcher>();

function keyMatcherFor(models: readonly string[]): ModelMatcher {
  let matcher = keyMatchers.get(models);
  if (!matcher) keyMatchers.set(models, (matcher = compileModelPatterns(models)));
  return matcher;
}

export function describeRule(rule: RuleRef): string {
  return rule.name ? `rule "${rule.name}"` : `rule ${rule.id}`;
}

function describeCaller(principal: Principal): string {
  if (principal.kind === 'key') return 'the API key';
  if (principal.kind === 'component') return 'the calling component';
  return 'the login';
}

/** Every bucket the principal belongs to: its DID, role, component DID, key id, and everyone. */
export function bucketsFor(set: CompiledRuleSet, principal: Principal): RuleBucket[] {
  const buckets = [set.everyone];
  const add = (bucket: RuleBucket | undefined) => bucket && buckets.push(bucket);
  add(set.byUser.get(principal.did));
  add(set.byRole.get(principal.role));
  if (principal.componentDid) add(set.byComponent.get(principal.componentDid));
  if (principal.keyId) add(set.byKey.get(principal.keyId));
  return buckets;
}

function findDecidingRule(buckets: RuleBucket[], effect: 'allow' | 'deny', fqn: string, account: string, model: string): CompiledRule | null {
  let best: CompiledRule | null = null;
  for (const bucket of buckets) best = bucket[effect].findBest(fqn, account, model, best);
  return best;
}

function decideByPolicy(policy: DefaultPolicy, role: string): AccessDecision {
  // Owners and admins manage everything; under allow-authenticated members and components too.
  // A guest (or any role Keyhold does not know) gets nothing unless a rule allows it.
  const managers = role === 'owner' || role === 'admin';
  if (managers || (policy === 'allow-authenticated' && (role === 'member' || role === 'component'))) {
    return { allowed: true, rule: null, reason: `allowed by the default policy (${policy})` };
  }
  if (policy === 'deny') return { allowed: false, rule: null, reason: `no rule allows role ${role} and the default policy is deny` };
  return { allowed: false, rule: null, reason: `no rule allows role ${role}` };
}

/** Invoking needs the write scope; listing (/v1/models) needs read or write, the rest is the same. */
export type AccessPurpose = 'invoke' | 'list';

function checkScope(principal: Principal, purpose: AccessPurpose): AccessDecision | null {
  if (principal.scopes.includes('write')) return null;
  if (purpose === 'list' && principal.scopes.includes('read')) return null;
  const needed = purpose === 'invoke' ? 'the write scope needed to invoke a model' : 'the read scope needed to list models';
  return { allowed: false, rule: null, reason: `${describeCaller(principal)} lacks ${needed}` };
}

export function evaluateAccess(
  set: CompiledRuleSet,
  policy: DefaultPolicy,
  principal: Principal,
  modelFqn: string,
  purpose: AccessPurpose = 'invoke',
): AccessDecision {
  const refused = checkScope(principal, purpose);
  if (refused) return refused;
  const fqn = normalizeModelName(modelFqn);
  if (principal.keyModels && principal.keyModels.length > 0 && !keyMatcherFor(principal.keyModels).matches(fqn)) {
    return { allowed: false, rule: null, reason: `the API key's model list does not include ${modelFqn}` };
  }
  const buckets = bucketsFor(set, principal);
  const { account, model } = splitModelName(fqn);
  const deny = findDecidingRule(buckets, 'deny', fqn, account, model);
  if (deny) return { allowed: false, rule: { id: deny.id, name: deny.name }, reason: `denied by ${describeRule(deny)}` };
  const allow = findDecidingRule(buckets, 'allow', fqn, account, model);
  if (allow) {
    const decision: AccessDecision = { allowed: true, rule: { id: allow.id, name: allow.name }, reason: `allowed by ${describeRule(allow)}` };
    if (allow.limits) decision.limits = allow.limits;
    return decision;
  }
  return decideByPolicy(policy, principal.role);
}
