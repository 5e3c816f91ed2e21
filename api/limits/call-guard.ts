// Before a model call: the rate limits and budgets that apply to this caller (the key's own, the
// role's defaults for the user, the allowing rules' own), checked and reserved; after it: corrected with the real usage and
// priced. The gateway calls admit() once authorization passed and settle() once the call is over.
import type { Principal } from '../identity/principal';
import type { ApiKeyIndex } from '../identity/api-key-index';
import type { SettingsStore } from '../settings/settings';
import type { BudgetBook, BudgetReservation, BudgetSpec } from './budgets';
import { PriceBook } from './prices';
import type { RateAdmission, RateLimits, RateLimitSpec } from './rate-limits';
import type { RuleRef } from '../access/evaluate-access';
import type { RuleLimits } from '../access/rule-schema';
import { ruleLimitSpec } from './rule-limits';
import { AccountGate } from './account-gate';

export interface CallEstimate {
  promptTokens: number;
  completionTokens: number;
}

/** What the call is for: the public model name and the limits of the rules that allowed it. */
export interface CallTarget {
  model: string;
  rules: ReadonlyArray<{ rule: RuleRef; limits: RuleLimits }>;
}

export interface Admission {
  /** x-ratelimit-* headers for the answer (empty when no rate limit applies). */
  headers: Record<string, string>;
  /** The call's cost from the price table and its real usage (null: the model has no price). */
  price(usage: CallUsage, priceNames: readonly (string | null | undefined)[]): number | null;
  /**
   * Once, when the call is over: corrects the counters with the real usage and its cost. A call that
   * reached no upstream (every account at its own limit, no credential available) is `served` false:
   * it gives the caller's requests back too, so the gateway's own refusals do not eat their quota.
   */
  settle(usage: CallUsage, costUsd: number | null, served: boolean): void;
}

export interface CallUsage {
  promptTokens: number;
  completionTokens: number;
}

export class CallGuard {
  constructor(
    private readonly keys: ApiKeyIndex,
    private readonly settings: SettingsStore,
    private readonly rates: RateLimits,
    private readonly budgets: BudgetBook,
    readonly prices: PriceBook,
  ) {}

  #specs(principal: Principal, target: CallTarget): { rates: RateLimitSpec[]; budgets: BudgetSpec[] } {
    const rates: RateLimitSpec[] = [];
    const budgets: BudgetSpec[] = [];
    const key = principal.keyId ? this.keys.get(principal.keyId) : undefined;
    if (key) {
      const label = `key "${key.name}"`;
      if (key.rpm || key.tpm) rates.push({ subject: `key:${key.id}`, label, rpm: key.rpm, tpm: key.tpm });
      if (key.budget) budgets.push({ subject: `key:${key.id}`, label, ...key.budget, ownerDid: key.ownerDid });
    }
    const role = this.settings.current.defaultLimits[principal.role as keyof typeof this.settings.current.defaultLimits];
    if (role) {
      const label = principal.kind === 'component' ? `component ${principal.did}` : `user ${principal.did}`;
      if (role.rpm || role.tpm || role.concurrency) rates.push({ subject: `user:${principal.did}`, label, rpm: role.rpm, tpm: role.tpm, concurrency: role.concurrency });
      if (role.budget) budgets.push({ subject: `user:${principal.did}`, label, ...role.budget, ownerDid: principal.did });
    }
    for (const { rule, limits } of target.rules) rates.push(ruleLimitSpec(rule, limits, principal, target.model));
    return { rates, budgets };
  }

  async admit(principal: Principal, target: CallTarget, estimate: () => CallEstimate, priceNames: readonly (string | null | undefined)[]): Promise<Admission> {
    const specs = this.#specs(principal, target);
    // Nothing to count: the call is only priced when it ends.
    const price = (usage: CallUsage, names: readonly (string | null | undefined)[]) => this.priceCall(usage, names);
    if (specs.rates.length === 0 && specs.budgets.length === 0) return { headers: {}, price, settle: () => undefined };
    let counted: CallEstimate | null = null;
    const estimated = () => (counted ??= estimate());
    const rate: RateAdmission | null = specs.rates.length ? await this.rates.admit(specs.rates, () => estimated().promptTokens + estimated().completionTokens) : null;
    let budget: BudgetReservation | null = null;
    if (specs.budgets.length) {
      const unitPrice = this.prices.priceOf(priceNames);
      const { promptTokens, completionTokens } = estimated();
      try {
        budget = await this.budgets.reserve(specs.budgets, {
          tokens: promptTokens + completionTokens,
          usd: unitPrice ? PriceBook.cost(unitPrice, promptTokens, completionTokens) : 0,
        });
      } catch (err) {
        rate?.settle(0);
        throw err;
      }
    }
    return {
      headers: rate?.headers ?? {},
      price,
      settle: (usage, costUsd, served) => {
        rate?.settle(usage.promptTokens + usage.completionTokens, served);
        budget?.settle({ usd: costUsd ?? 0, tokens: usage.promptTokens + usage.completionTokens });
      },
    };
  }

  /** The per-attempt gate for provider accounts' own limits (made only when a candidate account has any). */
  accountGate(estimate: () => CallEstimate): AccountGate {
    return new AccountGate(this.rates, () => estimate().promptTokens + estimate().completionTokens);
  }

  /** The cost of a call that no limit tracked. */
  priceCall(usage: CallUsage, names: readonly (string | null | undefined)[]): number | null {
    const price = this.prices.priceOf(names);
    return price ? PriceBook.cost(price, usage.promptTokens, usage.completionTokens) : null;
  }
}
