// AccessControl: the compiled rules held in memory, and the calls the gateway and the admin API
// make on them. authorize() never reads the database; load() rebuilds after every rule change.
import type { Principal } from '../identity/principal';
import type { SettingsStore } from '../settings/settings';
import { AccessRule } from '../models/access-rule';
import { AccessDenied } from '../errors';
import { compileRules, type CompiledRuleSet } from './compile-rules';
import { evaluateAccess, type AccessDecision } from './evaluate-access';
import { explainAccess, type AccessExplanation } from './explain-access';
import { toRuleDefinition } from './rule-view';
import type { RuleDefinition } from './rule-schema';

export class AccessControl {
  #rules: CompiledRuleSet = compileRules([]);
  #loads = 0;

  constructor(private readonly settings: SettingsStore) {}

  /** Reads every rule and swaps in the compiled set; a load overtaken by a newer one is dropped. */
  async load(): Promise<void> {
    const generation = ++this.#loads;
    const rows = await AccessRule.findAll({ order: [['position', 'ASC']] });
    if (generation === this.#loads) this.#rules = compileRules(rows.map(toRuleDefinition));
  }

  /** Compiles the given rules without the database (benchmarks, tests). */
  useRules(rules: readonly RuleDefinition[]): void {
    ++this.#loads;
    this.#rules = compileRules(rules);
  }

  /** How many enabled rules are compiled. */
  get ruleCount(): number {
    return this.#rules.rules.length;
  }

  /** The default policy is read per call, so a settings change applies to the very next request. */
  authorize(principal: Principal, modelFqn: string): AccessDecision {
    return evaluateAccess(this.#rules, this.settings.current.defaultPolicy, principal, modelFqn);
  }

  /** authorize(), throwing AccessDenied (403, naming the model and the deciding rule) when denied. */
  ensureAllowed(principal: Principal, modelFqn: string): AccessDecision {
    const decision = this.authorize(principal, modelFqn);
    if (!decision.allowed) throw new AccessDenied(modelFqn, decision.reason);
    return decision;
  }

  /**
   * The subset of `catalog` (model FQNs) the principal may use, in catalog order, for /v1/models.
   * Same decision as authorize() except that a read-only key may list what its rules allow.
   */
  allowedModels(principal: Principal, catalog: readonly string[]): string[] {
    const policy = this.settings.current.defaultPolicy;
    return catalog.filter((fqn) => evaluateAccess(this.#rules, policy, principal, fqn, 'list').allowed);
  }

  explain(principal: Principal, modelFqn: string): AccessExplanation {
    return explainAccess(this.#rules, this.settings.current.defaultPolicy, principal, modelFqn);
  }
}
