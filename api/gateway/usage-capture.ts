// Turns what happened in one call into the usage record handed to the recorder.
import { performance } from 'node:perf_hooks';
import type { UsageRecord, UsageRecorder } from '../audit/usage-record';
import type { Logger } from '../log';
import type { Usage } from './openai/responses';
import type { FailoverTrace } from './failover';
import type { GatewayCall } from './gateway-call';
import type { Admission, CallEstimate, CallGuard, CallTarget } from '../limits/call-guard';
import type { ModelCandidate } from './routing/resolve-model';

/** Filled in by a handler as the call goes. */
export interface CallOutcome {
  model: string;
  stream: boolean;
  status: number;
  errorCode: string | null;
  usage: Pick<Usage, 'prompt_tokens' | 'completion_tokens'> | null;
  estimated: boolean;
  ttfbMs: number | null;
  /** Set by the limits layer from the price table once usage is known. */
  costUsd?: number | null;
}

export function buildUsageRecord(call: GatewayCall, endpoint: UsageRecord['endpoint'], outcome: CallOutcome, trace: FailoverTrace): UsageRecord {
  const last = trace.last;
  const { principal } = call;
  return {
    requestId: call.requestId,
    startedAt: call.startedAtEpoch,
    endpoint,
    principalKind: principal.kind,
    did: principal.did,
    role: principal.role,
    keyId: principal.keyId ?? null,
    clientId: principal.clientId ?? null,
    componentDid: principal.componentDid ?? null,
    model: outcome.model,
    accountId: last?.candidate.account.id ?? null,
    account: last?.candidate.account.name ?? null,
    upstreamModel: last?.candidate.upstreamModel ?? null,
    credentialId: last?.credential.id ?? null,
    status: outcome.status,
    stream: outcome.stream,
    promptTokens: outcome.usage?.prompt_tokens ?? 0,
    completionTokens: outcome.usage?.completion_tokens ?? 0,
    tokensEstimated: outcome.estimated,
    costUsd: outcome.costUsd ?? null,
    latencyMs: Math.round((performance.now() - call.startedAt) * 100) / 100,
    ttfbMs: outcome.ttfbMs === null ? null : Math.round(outcome.ttfbMs * 100) / 100,
    attempts: trace.attempts,
    errorCode: outcome.errorCode,
  };
}

/**
 * Model calls begun and not yet recorded. A record written while its call is the only one open
 * cannot share its journal write with another: it is written at once, without waiting for the end
 * of the event loop's turn (about 10 µs per call at concurrency 1 in the gateway benchmark).
 */
export class OpenCalls {
  count = 0;
}

/**
 * Records the call once, and resolves when the record is journaled; `open` counts the call from
 * when its settler is made until it records. Handlers await the settler right before
 * the last bytes of the answer are written, so a client that saw the whole answer has its record,
 * even if the process is killed the next instant. The journal writes the records of one turn of the
 * event loop together, so the wait is at most that turn.
 */
export function createSettler(
  recorder: UsageRecorder,
  call: GatewayCall,
  endpoint: UsageRecord['endpoint'],
  outcome: CallOutcome,
  trace: FailoverTrace,
  admission: () => Admission | null,
  log: Logger,
  open: OpenCalls,
): () => Promise<void> {
  let written: Promise<void> | null = null;
  open.count += 1;
  return () => {
    if (written) return written;
    const alone = open.count === 1;
    open.count -= 1;
    const last = trace.last?.candidate;
    const usage = { promptTokens: outcome.usage?.prompt_tokens ?? 0, completionTokens: outcome.usage?.completion_tokens ?? 0 };
    const admitted = admission();
    // Priced before the record is written: the record carries the cost.
    outcome.costUsd = admitted?.price(usage, [last?.fqn, last?.model, last?.upstreamModel]) ?? null;
    const costUsd = outcome.costUsd;
    written = recorder.record(buildUsageRecord(call, endpoint, outcome, trace), alone);
    // Correcting the counters waits until the answer is out. This immediate is queued after the
    // journal's (record() queued that one, or an earlier call this turn did), and Node runs the
    // microtasks between immediates: the handler, resumed by the journal's, has written its last
    // bytes by then. It still runs before the event loop reads more requests. (A nextTick ran
    // before the answer, on the client's path.)
    setImmediate(() => {
      try {
        admitted?.settle(usage, costUsd, trace.attempts > 0);
        trace.accountGate?.settle(last?.account.id ?? null, usage.promptTokens + usage.completionTokens);
      } catch (err) {
        log.error({ err, requestId: call.requestId }, 'correcting limits after a call failed');
      }
    });
    return written;
  };
}

const NO_RULES: CallTarget['rules'] = [];

/** The public model name and the distinct limited rules that allowed its candidates. */
function callTarget(candidates: readonly ModelCandidate[]): CallTarget {
  const model = candidates[0]?.model ?? '';
  let rules: CallTarget['rules'] = NO_RULES;
  for (const { limitedBy } of candidates) {
    // Every rule that allowed a candidate counts: the balancer may pick any of them.
    if (limitedBy && !rules.some((r) => r.rule.id === limitedBy.rule.id)) rules = [...rules, limitedBy];
  }
  return { model, rules };
}

/** Rate limits and budgets for this call; their x-ratelimit-* headers go on the answer, whatever it is. */
export async function admitCall(
  gateway: { deps: { guard: Pick<CallGuard, 'admit'> } },
  call: GatewayCall,
  candidates: readonly ModelCandidate[],
  estimate: () => CallEstimate,
): Promise<Admission> {
  const first = candidates[0];
  const admission = await gateway.deps.guard.admit(call.principal, callTarget(candidates), estimate, [first?.fqn, first?.model, first?.upstreamModel]);
  for (const name in admission.headers) call.headers.push(name, admission.headers[name]);
  return admission;
}
