// A rule's rate limits as counters: the rule's `per` dimensions pick whose calls share one counter,
// e.g. `per: [user, model]` gives each caller its own count for each model the rule allows.
import type { Principal } from '../identity/principal';
import { describeRule, type RuleRef } from '../access/evaluate-access';
import type { RuleLimits } from '../access/rule-schema';
import type { RateLimitSpec } from './rate-limits';

const DEFAULT_PER: NonNullable<RuleLimits['per']> = ['user'];

export function ruleLimitSpec(rule: RuleRef, limits: RuleLimits, principal: Principal, model: string): RateLimitSpec {
  const per = limits.per ?? DEFAULT_PER;
  let subject = `rule:${rule.id}`;
  const parts: string[] = [];
  // Fixed order, whatever order `per` lists them in, so [model, user] and [user, model] count alike.
  if (per.includes('user')) {
    subject += `:user:${principal.did}`;
    parts.push('caller');
  }
  if (per.includes('key')) {
    subject += `:key:${principal.keyId ?? '-'}`;
    parts.push('API key');
  }
  if (per.includes('model')) {
    subject += `:model:${model}`;
    parts.push(`model ${model}`);
  }
  const scope = parts.length ? ` (per ${parts.join(', ')})` : ' (all its calls together)';
  return { subject, label: `${describeRule(rule)}${scope}`, rpm: limits.rpm, tpm: limits.tpm, concurrency: limits.concurrency };
}
