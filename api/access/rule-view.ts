// What the API, the audit trail and the compiler see of a stored rule.
import type { AccessRule } from '../models/access-rule';
import type { RuleDefinition } from './rule-schema';

export interface RuleView extends RuleDefinition {
  createdAt: string;
  updatedAt: string;
}

export function toRuleDefinition(row: AccessRule): RuleDefinition {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    models: row.models,
    users: row.users,
    roles: row.roles,
    components: row.components,
    keys: row.keys,
    effect: row.effect,
    priority: row.priority,
    enabled: row.enabled,
    limits: row.limits ?? null,
  };
}

export function toRuleView(row: AccessRule): RuleView {
  return { ...toRuleDefinition(row), createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

/** The API's order: what decides first comes first (priority, then file position). */
export function compareRules(a: RuleDefinition, b: RuleDefinition): number {
  return b.priority - a.priority || a.position - b.position;
}
