// Picks where the next attempt goes: an account among the candidates by account weight, then a
// credential of it by credential weight, both smooth weighted round robin over what is healthy and
// not yet tried in this request. Failover calls it again with the tried set grown.
import type { CatalogCredential } from './catalog';
import type { CredentialHealth } from './credential-health';
import type { ModelCandidate } from './resolve-model';
import { SmoothWeighted } from './smooth-weighted';

export interface Pick {
  candidate: ModelCandidate;
  credential: CatalogCredential;
}

export class CredentialPicker {
  readonly #accountRounds = new Map<string, SmoothWeighted>();
  readonly #credentialRounds = new Map<string, SmoothWeighted>();

  constructor(private readonly health: CredentialHealth) {}

  #round(map: Map<string, SmoothWeighted>, key: string): SmoothWeighted {
    let round = map.get(key);
    if (!round) {
      round = new SmoothWeighted();
      map.set(key, round);
    }
    return round;
  }

  #usable(candidate: ModelCandidate, tried: ReadonlySet<string>): CatalogCredential[] {
    return candidate.account.credentials.filter((c) => !tried.has(c.id) && this.health.isAvailable(c.id));
  }

  /** The next attempt for `model` (the name as requested, which keys its rotation), or null when nothing is left. */
  pick(model: string, candidates: readonly ModelCandidate[], tried: ReadonlySet<string>): Pick | null {
    const open = candidates
      .map((candidate) => ({ id: candidate.account.id, weight: candidate.account.weight, candidate, usable: this.#usable(candidate, tried) }))
      .filter((entry) => entry.usable.length > 0);
    // A single open account with weight 0 is still used: weight 0 means "last resort", not "never".
    const account = this.#round(this.#accountRounds, model).pick(open) ?? open[0] ?? null;
    if (!account) return null;
    const credential = this.#round(this.#credentialRounds, account.id).pick(account.usable) ?? account.usable[0];
    return credential ? { candidate: account.candidate, credential } : null;
  }
}
