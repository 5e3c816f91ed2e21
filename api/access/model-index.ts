// The rules of one subject bucket and one effect, indexed by the model they name, so a lookup
// touches only rules that can match: exact FQNs in a Map; `account/prefix*` by account, then by
// the model's literal prefix; `*/model` by model; the rest by the model's literal prefix. Every
// list is in decision order (rank), so the first match of a list is that list's best.
import { parseModelPattern, type ModelMatcher } from './model-pattern';
import type { RuleLimits } from './rule-schema';

export interface CompiledRule {
  id: string;
  name: string | null;
  effect: 'allow' | 'deny';
  priority: number;
  /** Position in decision order: priority desc, then file position. Lower decides. */
  rank: number;
  matcher: ModelMatcher;
  /** An allow rule's rate limits on the calls it lets through. */
  limits: RuleLimits | null;
}

function append(list: CompiledRule[], rule: CompiledRule): void {
  // Rules arrive in rank order, so a rule already listed is the last entry.
  if (list[list.length - 1] !== rule) list.push(rule);
}

function appendTo<K>(map: Map<K, CompiledRule[]>, key: K, rule: CompiledRule): void {
  const list = map.get(key);
  if (list) append(list, rule);
  else map.set(key, [rule]);
}

function firstMatch(list: CompiledRule[] | undefined, fqn: string, best: CompiledRule | null): CompiledRule | null {
  if (!list) return best;
  for (const rule of list) {
    if (best && rule.rank >= best.rank) return best;
    if (rule.matcher.matches(fqn)) return rule;
  }
  return best;
}

/** Rules filed under the literal text a model name must start with; looked up once per prefix length. */
class PrefixIndex {
  readonly #byPrefix = new Map<string, CompiledRule[]>();
  #lengths: number[] = [];

  add(prefix: string, rule: CompiledRule): void {
    if (!this.#lengths.includes(prefix.length)) this.#lengths = [...this.#lengths, prefix.length].sort((a, b) => a - b);
    appendTo(this.#byPrefix, prefix, rule);
  }

  findBest(model: string, fqn: string, best: CompiledRule | null): CompiledRule | null {
    for (const length of this.#lengths) {
      if (length > model.length) break;
      best = firstMatch(this.#byPrefix.get(length === 0 ? '' : model.slice(0, length)), fqn, best);
    }
    return best;
  }
}

export class ModelIndex {
  readonly #exact = new Map<string, CompiledRule[]>();
  readonly #byAccount = new Map<string, PrefixIndex>();
  readonly #byModel = new Map<string, CompiledRule[]>();
  readonly #anyAccount = new PrefixIndex();

  /** Must be called in rank order. */
  add(rule: CompiledRule, patterns: readonly string[]): void {
    for (const raw of patterns) {
      const pattern = parseModelPattern(raw);
      if (pattern.kind === 'everything') this.#anyAccount.add('', rule);
      else if (pattern.kind === 'exact') appendTo(this.#exact, pattern.fqn, rule);
      else if (pattern.literalAccount !== null) {
        let index = this.#byAccount.get(pattern.literalAccount);
        if (!index) this.#byAccount.set(pattern.literalAccount, (index = new PrefixIndex()));
        index.add(pattern.modelPrefix, rule);
      } else if (pattern.literalModel !== null) appendTo(this.#byModel, pattern.literalModel, rule);
      else this.#anyAccount.add(pattern.modelPrefix, rule);
    }
  }

  /** The lowest-ranked rule matching the normalized `fqn` (= account/model), if it beats `best`. */
  findBest(fqn: string, account: string, model: string, best: CompiledRule | null): CompiledRule | null {
    const exact = this.#exact.get(fqn)?.[0];
    if (exact && (!best || exact.rank < best.rank)) best = exact;
    best = this.#byAccount.get(account)?.findBest(model, fqn, best) ?? best;
    best = firstMatch(this.#byModel.get(model), fqn, best);
    return this.#anyAccount.findBest(model, fqn, best);
  }
}
