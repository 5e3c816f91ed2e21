// The envelope every model call shares: the body is read inside it, what happened is collected in
// an outcome, the call is admitted by the limits once its candidates are known, any failure becomes
// an OpenAI-shaped answer, and exactly one usage record is written, right before the last bytes (or
// at the end, if none go out). A body refused as it is read (too large, not JSON) is recorded too.
import type { UsageRecord } from '../audit/usage-record';
import { ClientClosedRequest } from '../errors';
import type { Admission, CallEstimate } from '../limits/call-guard';
import type { FailoverTrace } from './failover';
import type { Gateway } from './gateway';
import type { GatewayCall } from './gateway-call';
import { toKeyholdError, writeError } from './respond';
import type { ModelCandidate } from './routing/resolve-model';
import { admitCall, createSettler, type CallOutcome } from './usage-capture';
import type { BodyReader } from './routes';

export interface ModelCallScope {
  /** The parsed request body. */
  body: unknown;
  outcome: CallOutcome;
  trace: FailoverTrace;
  /** Write the usage record now (idempotent): await it right before the answer's last bytes. */
  settle: () => Promise<void>;
  /** Check and reserve rate limits and budgets; sets the x-ratelimit-* headers. */
  admit(candidates: readonly ModelCandidate[], estimate: () => CallEstimate): Promise<void>;
}

export async function runModelCall(
  gateway: Gateway,
  call: GatewayCall,
  endpoint: UsageRecord['endpoint'],
  readBody: BodyReader,
  work: (scope: ModelCallScope) => Promise<void>,
): Promise<void> {
  const trace: FailoverTrace = { attempts: 0, last: null };
  const outcome: CallOutcome = { model: '', stream: false, status: 200, errorCode: null, usage: null, estimated: false, ttfbMs: null };
  let admission: Admission | null = null;
  const settle = createSettler(gateway.deps.usage, call, endpoint, outcome, trace, () => admission, gateway.deps.log, gateway.openCalls);
  const admit = async (candidates: readonly ModelCandidate[], estimate: () => CallEstimate) => {
    let counted: CallEstimate | null = null;
    const estimated = () => (counted ??= estimate());
    admission = await admitCall(gateway, call, candidates, estimated);
    trace.accountGate = candidates.some((candidate) => candidate.account.limits) ? gateway.deps.guard.accountGate(estimated) : null;
  };
  let body: unknown;
  try {
    body = await readBody();
  } catch (err) {
    // Recorded, then answered by the caller, which also drains what is left of a refused body.
    const error = toKeyholdError(err);
    outcome.status = error.status;
    outcome.errorCode = error.code;
    await settle();
    throw err;
  }
  if (typeof (body as { model?: unknown } | null)?.model === 'string') outcome.model = (body as { model: string }).model;
  try {
    await work({ body, outcome, trace, settle, admit });
  } catch (err) {
    const error = toKeyholdError(err);
    outcome.status = error.status;
    outcome.errorCode = error.code;
    await settle();
    if (!(error instanceof ClientClosedRequest)) writeError(call.res, error, call.headers);
    if (error.code === 'ERR_INTERNAL') gateway.deps.log.error({ err, requestId: call.requestId, endpoint }, 'model call failed');
  } finally {
    // A call that wrote nothing more (the client left) is recorded all the same.
    void settle();
  }
}
