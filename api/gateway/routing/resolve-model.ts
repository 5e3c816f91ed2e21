// Model name -> the accounts that may serve this caller: `account/model` names one account, a bare
// name every enabled account that serves it (an enabled model or an alias). Each candidate is
// authorized as `account/model`; if the caller may use none, the first refusal is the answer.
import { AccessDenied, ModelNotFound } from '../../errors';
import type { AccessControl } from '../../access/access-control';
import type { Principal } from '../../identity/principal';
import type { RuleRef } from '../../access/evaluate-access';
import type { RuleLimits } from '../../access/rule-schema';
import type { CatalogAccount, CatalogSnapshot } from './catalog';

export interface ModelCandidate {
  account: CatalogAccount;
  /** The public model name (after the account prefix, before aliasing). */
  model: string;
  /** What the upstream is asked for. */
  upstreamModel: string;
  /** `account/model`, as rules and usage records name it. */
  fqn: string;
  /** The allow rule that let the caller use this candidate, when it carries rate limits. */
  limitedBy?: { rule: RuleRef; limits: RuleLimits };
}

// A name passed through as asked becomes a URL path segment at some providers: "." and ".." would
// climb out of it even when encoded, and control characters have no business there.
function isPassableModelName(model: string): boolean {
  return model.length <= 256 && !/^\.{1,2}$/.test(model) && !/[\u0000-\u001f\u007f]/.test(model);
}

function candidatesFor(snapshot: CatalogSnapshot, requested: string): ModelCandidate[] {
  const slash = requested.indexOf('/');
  if (slash > 0) {
    const account = snapshot.accounts.get(requested.slice(0, slash));
    const model = requested.slice(slash + 1);
    // A bare name that itself contains "/" (openrouter's "meta-llama/…") still resolves below.
    if (account && model) {
      const upstreamModel = account.models.get(model) ?? (account.acceptsAnyModel && isPassableModelName(model) ? model : undefined);
      if (upstreamModel !== undefined) return [{ account, model, upstreamModel, fqn: `${account.name}/${model}` }];
    }
  }
  return (snapshot.byModel.get(requested) ?? []).map((account) => ({
    account,
    model: requested,
    upstreamModel: account.models.get(requested) ?? requested,
    fqn: `${account.name}/${requested}`,
  }));
}

/** The candidates this principal may use, in catalog order; ModelNotFound or AccessDenied otherwise. */
export function resolveModel(snapshot: CatalogSnapshot, access: AccessControl, principal: Principal, requested: string): ModelCandidate[] {
  const candidates = candidatesFor(snapshot, requested);
  if (candidates.length === 0) throw new ModelNotFound(requested);
  const allowed: ModelCandidate[] = [];
  let firstRefusal: string | null = null;
  for (const candidate of candidates) {
    const decision = access.authorize(principal, candidate.fqn);
    // Object.assign, not { ...candidate, limitedBy }: a property added after a spread takes V8's slow path (see withHeaders).
    if (decision.allowed) allowed.push(decision.limits && decision.rule ? Object.assign({}, candidate, { limitedBy: { rule: decision.rule, limits: decision.limits } }) : candidate);
    else firstRefusal ??= decision.reason;
  }
  if (allowed.length === 0) throw new AccessDenied(candidates.length === 1 ? candidates[0].fqn : requested, firstRefusal ?? 'denied');
  return allowed;
}
