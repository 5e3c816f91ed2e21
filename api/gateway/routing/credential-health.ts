// In-memory health of each credential: cooling down after a 429 (until Retry-After), or disabled
// after the upstream rejected it (401/403). Disabling is persisted, audited and announced by the
// caller (health-actions.ts); this class only answers "may this credential be tried now?".
export interface HealthState {
  cooldownUntil: number;
  disabled: boolean;
}

export class CredentialHealth {
  readonly #states = new Map<string, HealthState>();

  constructor(private readonly now: () => number = Date.now) {}

  #state(id: string): HealthState {
    let state = this.#states.get(id);
    if (!state) {
      state = { cooldownUntil: 0, disabled: false };
      this.#states.set(id, state);
    }
    return state;
  }

  isAvailable(id: string): boolean {
    const state = this.#states.get(id);
    return !state || (!state.disabled && state.cooldownUntil <= this.now());
  }

  /** Milliseconds until the soonest cooling-down credential among `ids` is back; null if none cools down. */
  soonestReturn(ids: readonly string[]): number | null {
    let soonest: number | null = null;
    for (const id of ids) {
      const state = this.#states.get(id);
      if (!state || state.disabled || state.cooldownUntil <= this.now()) continue;
      const wait = state.cooldownUntil - this.now();
      soonest = soonest === null ? wait : Math.min(soonest, wait);
    }
    return soonest;
  }

  coolDown(id: string, ms: number): void {
    const state = this.#state(id);
    state.cooldownUntil = Math.max(state.cooldownUntil, this.now() + ms);
  }

  /** Returns false when it was already disabled (so the caller announces it once). */
  disable(id: string): boolean {
    const state = this.#state(id);
    if (state.disabled) return false;
    state.disabled = true;
    return true;
  }

  isDisabled(id: string): boolean {
    return this.#states.get(id)?.disabled ?? false;
  }

  /** Back in rotation: after a successful re-check, or when an admin replaced or re-tested it. */
  restore(id: string): void {
    this.#states.delete(id);
  }

  /** Catalog reload: a credential the database says is active again (status changed by an admin) is restored. */
  syncStatus(id: string, status: string): void {
    if (status === 'active' && this.#states.get(id)?.disabled) this.#states.delete(id);
    if (status === 'error') this.#state(id).disabled = true;
  }
}
