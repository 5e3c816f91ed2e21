// Limits on a provider account: every request Keyhold sends it, from every caller, counts. Checked
// per attempt, once the balancer picked the account, so a bare model name spread over several
// accounts moves on to one with room instead of failing; the call fails only when none has room.
import { RateLimitExceeded } from '../errors';
import type { AccountLimits } from './limit-schema';
import type { RateAdmission, RateLimits } from './rate-limits';

export interface LimitedAccount {
  id: string;
  name: string;
  limits: AccountLimits | null;
}

export class AccountGate {
  readonly #entered: Array<{ accountId: string; admission: RateAdmission }> = [];

  constructor(
    private readonly rates: RateLimits,
    private readonly estimateTokens: () => number,
  ) {}

  /** null when the account has room (the attempt is counted), the refusal when it has none. */
  async enter(account: LimitedAccount): Promise<RateLimitExceeded | null> {
    if (!account.limits) return null;
    try {
      const spec = { subject: `account:${account.id}`, label: `provider account "${account.name}"`, ...account.limits };
      this.#entered.push({ accountId: account.id, admission: await this.rates.admit([spec], this.estimateTokens) });
      return null;
    } catch (err) {
      if (err instanceof RateLimitExceeded) return err;
      throw err;
    }
  }

  /**
   * Once, when the call is over: the attempt that answered (the last one on `answeredBy`) is
   * corrected to the real token count, the attempts that failed before it give their estimate back.
   */
  settle(answeredBy: string | null, actualTokens: number): void {
    let last = -1;
    for (let i = 0; i < this.#entered.length; i++) if (this.#entered[i].accountId === answeredBy) last = i;
    this.#entered.forEach((entry, i) => entry.admission.settle(i === last ? actualTokens : 0));
    this.#entered.length = 0;
  }
}
