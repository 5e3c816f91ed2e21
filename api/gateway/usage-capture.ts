// Turns what happened in one call into the usage record handed to the recorder.
import { performance } from 'node:perf_hooks';
import type { UsageRecord } from '../audit/usage-record';
import type { Usage } from './openai/responses';
import type { FailoverTrace } from './failover';
import type { GatewayCall } from './gateway-call';

/** Filled in by a handler as the call goes. */
export interface CallOutcome {
  model: string;
  stream: boolean;
  status: number;
  errorCode: string | null;
  usage: Pick<Usage, 'prompt_tokens' | 'completion_tokens'> | null;
  estimated: boolean;
  ttfbMs: number | null;
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
    latencyMs: Math.round((performance.now() - call.startedAt) * 100) / 100,
    ttfbMs: outcome.ttfbMs === null ? null : Math.round(outcome.ttfbMs * 100) / 100,
    attempts: trace.attempts,
    errorCode: outcome.errorCode,
  };
}
