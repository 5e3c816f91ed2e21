// The attempt loop every model call runs: pick a credential, try it, and on a retryable failure
// (connection error, timeout, 429, 5xx, a rejected credential) try the next one, up to
// maxAttempts. Health is updated on the way: 429 cools a credential down for Retry-After, a
// 401/403 disables it. A failure that is the caller's (other 4xx) ends the loop at once.
import { ClientClosedRequest, NoCapacity, UpstreamFailed } from '../errors';
import type { Gateway } from './gateway';
import type { CatalogCredential } from './routing/catalog';
import type { ModelCandidate } from './routing/resolve-model';
import { disableRejectedCredential } from './routing/credential-status';
import type { AbortSource, UpstreamFailure } from './upstream-call';
import type { AccountGate } from '../limits/account-gate';
import type { RateLimitExceeded } from '../errors';

// Without Retry-After, a 429 benches the credential this long; a huge Retry-After is capped.
const DEFAULT_COOLDOWN_MS = 30_000;
const MAX_COOLDOWN_MS = 10 * 60_000;

export interface Attempt {
  candidate: ModelCandidate;
  credential: CatalogCredential;
  number: number;
}

export type AttemptOutcome<T> = { ok: true; value: T } | { ok: false; failure: UpstreamFailure };

export interface FailoverResult<T> {
  value: T;
  attempt: Attempt;
}

/** What was tried so far, for the usage record when the loop throws. */
export interface FailoverTrace {
  attempts: number;
  last: Attempt | null;
  /** Counts each attempt against its provider account's own limits, when any account has them. */
  accountGate?: AccountGate | null;
}

function finalError(failure: UpstreamFailure): UpstreamFailed {
  const retryAfter = failure.retryAfterMs === null ? null : Math.ceil(failure.retryAfterMs / 1000);
  if (failure.kind === 'rate-limited') return new UpstreamFailed(failure.message, 429, retryAfter ?? 1);
  if (failure.kind === 'timeout') return new UpstreamFailed(failure.message, 504);
  return new UpstreamFailed(failure.message, 502);
}

function noteFailure(gateway: Gateway, attempt: Attempt, failure: UpstreamFailure): void {
  const { health, deps } = gateway;
  if (failure.kind === 'rate-limited') {
    health.coolDown(attempt.credential.id, Math.min(failure.retryAfterMs ?? DEFAULT_COOLDOWN_MS, MAX_COOLDOWN_MS));
  } else if (failure.kind === 'rejected-credential') {
    // Not awaited: the client's failover must not wait on the database or a notification.
    void disableRejectedCredential(gateway.statusDeps, attempt.candidate.account, attempt.credential, failure.message).catch((err: unknown) =>
      deps.log.error({ err }, 'could not disable a rejected credential'),
    );
  }
  deps.log.warn({ account: attempt.candidate.account.name, credentialId: attempt.credential.id, kind: failure.kind, status: failure.status, attempt: attempt.number, reason: failure.message }, 'upstream attempt failed');
}

export async function runWithFailover<T>(
  gateway: Gateway,
  signal: AbortSource,
  model: string,
  candidates: readonly ModelCandidate[],
  trace: FailoverTrace,
  attemptOnce: (attempt: Attempt) => Promise<AttemptOutcome<T>>,
): Promise<FailoverResult<T>> {
  const tried = new Set<string>();
  let lastFailure: UpstreamFailure | null = null;
  let accountRefusal: RateLimitExceeded | null = null;
  while (trace.attempts < gateway.config.maxAttempts) {
    // A client that left gets no more attempts: each would be an upstream call nobody reads.
    if (signal.aborted) throw new ClientClosedRequest();
    const pick = gateway.picker.pick(model, candidates, tried);
    if (!pick) break;
    tried.add(pick.credential.id);
    const refusal = trace.accountGate ? await trace.accountGate.enter(pick.candidate.account) : null;
    if (refusal) {
      // The account is at its own limit: none of its credentials is tried for this call.
      for (const credential of pick.candidate.account.credentials) tried.add(credential.id);
      accountRefusal = refusal;
      continue;
    }
    // Spelled out, not { ...pick, number }: a property added to a spread copy takes V8's slow path
    // (see withHeaders in providers/upstream-request.ts).
    const attempt: Attempt = { candidate: pick.candidate, credential: pick.credential, number: trace.attempts + 1 };
    trace.attempts = attempt.number;
    trace.last = attempt;
    const outcome = await attemptOnce(attempt);
    if (signal.aborted) throw new ClientClosedRequest();
    if (outcome.ok) {
      gateway.lastUse.touch(attempt.credential.id);
      return { value: outcome.value, attempt };
    }
    noteFailure(gateway, attempt, outcome.failure);
    if (outcome.failure.kind === 'client') throw new UpstreamFailed(outcome.failure.message, outcome.failure.status ?? 400);
    lastFailure = outcome.failure;
  }
  if (lastFailure) throw finalError(lastFailure);
  if (accountRefusal) throw accountRefusal;
  const ids = candidates.flatMap((candidate) => candidate.account.credentials.map((credential) => credential.id));
  const wait = gateway.health.soonestReturn(ids);
  throw new NoCapacity(model, wait === null ? null : Math.ceil(wait / 1000));
}
