// Compiles enabled rules into an in-memory index by subject (user DID, role, component DID, key id,
// or nobody = everyone), each bucket split by effect and indexed by model. Disabled rules are dropped.
import { compileModelPatterns } from './model-pattern';
import { ModelIndex, type CompiledRule } from './model-index';
import { compareRules } from './rule-view';
import type { RuleDefinition } from './rule-schema';

export class RuleBucket {
  readonly deny = new ModelIndex();
  readonly allow = new ModelIndex();
}

export interface CompiledRuleSet {
  byUser: Map<string, RuleBucket>;
  byRole: Map<string, RuleBucket>;
  byComponent: Map<string, RuleBucket>;
  byKey: Map<string, RuleBucket>;
  /** Rules without subjects: they apply to every authenticated caller. */
  everyone: RuleBucket;
  /** Enabled rules in decision order, with their definitions (for explain). */
  rules: Array<{ compiled: CompiledRule; definition: RuleDefinition }>;
}

function bucketIn(map: Map<string, RuleBucket>, key: string): RuleBucket {
  let bucket = map.get(key);
  if (!bucket) map.set(key, (bucket = new RuleBucket()));
  return bucket;
}

export function compileRules(definitions: readonly RuleDefinition[]): CompiledRuleSet {
  const set: CompiledRuleSet = { byUser: new Map(), byRole: new Map(), byComponent: new Map(), byKey: new Map(), everyone: new RuleBucket(), rules: [] };
  const ordered = definitions.filter((rule) => rule.enabled).sort(compareRules);
  ordered.forEach((definition, rank) => {
    const compiled: CompiledRule = {
      id: definition.id,
      name: definition.name,
      effect: definition.effect,
      priority: definition.priority,
      rank,
      matcher: compileModelPatterns(definition.models),
      limits: definition.effect === 'allow' ? definition.limits : null,
    };
    set.rules.push({ compiled, definition });
    const buckets = [
      ...definition.users.map((did) => bucketIn(set.byUser, did)),
      ...definition.roles.map((role) => bucketIn(set.byRole, role)),
      ...definition.components.map((did) => bucketIn(set.byComponent, did)),
      ...definition.keys.map((id) => bucketIn(set.byKey, id)),
    ];
    if (buckets.length === 0) buckets.push(set.everyone);
    for (const bucket of buckets) bucket[definition.effect].add(compiled, definition.models);
  });
  return set;
}
