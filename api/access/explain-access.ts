// Explain: the decision authorize() would make, plus every enabled rule that matches the caller and
// the model, in decision order. For admins answering "why"; not on the hot path.
import type { Principal } from '../identity/principal';
import type { CompiledRuleSet } from './compile-rules';
import { evaluateAccess, type AccessDecision, type DefaultPolicy, type RuleRef } from './evaluate-access';
import { normalizeModelName } from './model-pattern';
import type { RuleDefinition } from './rule-schema';

export interface MatchedRule extends RuleRef {
  effect: 'allow' | 'deny';
  priority: number;
}

export interface AccessExplanation extends AccessDecision {
  matched: MatchedRule[];
}

export function ruleAppliesTo(rule: RuleDefinition, principal: Principal): boolean {
  const subjectless = !rule.users.length && !rule.roles.length && !rule.components.length && !rule.keys.length;
  return (
    subjectless ||
    rule.users.includes(principal.did) ||
    rule.roles.includes(principal.role) ||
    (principal.componentDid !== undefined && rule.components.includes(principal.componentDid)) ||
    (principal.keyId !== undefined && rule.keys.includes(principal.keyId))
  );
}

export function explainAccess(set: CompiledRuleSet, policy: DefaultPolicy, principal: Principal, modelFqn: string): AccessExplanation {
  const fqn = normalizeModelName(modelFqn);
  const matched = set.rules
    .filter(({ compiled, definition }) => ruleAppliesTo(definition, principal) && compiled.matcher.matches(fqn))
    .map(({ compiled }) => ({ id: compiled.id, name: compiled.name, effect: compiled.effect, priority: compiled.priority }));
  return { ...evaluateAccess(set, policy, principal, modelFqn), matched };
}
