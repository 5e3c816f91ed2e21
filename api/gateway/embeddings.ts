// POST /v1/embeddings: like chat without streams. Providers that report no token count get the
// inputs counted here, so usage and limits always see a number.
import { performance } from 'node:perf_hooks';
import { parseInput } from '../http/validate';
import { ClientClosedRequest } from '../errors';
import { embeddingInputsAsText, embeddingsRequest, type EmbeddingsRequest } from './openai/embeddings-request';
import type { EmbeddingsResponse } from './openai/responses';
import { resolveModel } from './routing/resolve-model';
import { runWithFailover, type FailoverTrace } from './failover';
import type { Gateway } from './gateway';
import type { GatewayCall } from './gateway-call';
import { toKeyholdError, writeError, writeJson } from './respond';
import { isSent, readJsonAnswer, sendAttempt } from './upstream-attempt';
import { countTextTokens } from './token-count';
import { admitCall, createSettler, type CallOutcome } from './usage-capture';
import type { Admission } from '../limits/call-guard';

function countInputTokens(request: EmbeddingsRequest): number {
  const texts = embeddingInputsAsText(request);
  if (texts) return texts.reduce((sum, text) => sum + countTextTokens(text), 0);
  // Token ids were sent: their count is the count.
  const input = request.input as number[] | number[][];
  return Array.isArray(input[0]) ? (input as number[][]).reduce((sum, ids) => sum + ids.length, 0) : input.length;
}

export async function handleEmbeddings(gateway: Gateway, call: GatewayCall, body: unknown): Promise<void> {
  const trace: FailoverTrace = { attempts: 0, last: null };
  const requested = typeof (body as { model?: unknown })?.model === 'string' ? (body as { model: string }).model : '';
  const outcome: CallOutcome = { model: requested, stream: false, status: 200, errorCode: null, usage: null, estimated: false, ttfbMs: null };
  let admission: Admission | null = null;
  const settle = createSettler(gateway.deps.usage, call, 'embeddings', outcome, trace, () => admission);
  try {
    const request = parseInput(embeddingsRequest, body);
    const candidates = resolveModel(gateway.catalog.snapshot, gateway.deps.access, call.principal, request.model);
    admission = await admitCall(gateway, call, candidates, () => ({ promptTokens: countInputTokens(request), completionTokens: 0 }));
    const reply = { model: request.model, id: '', created: Math.floor(Date.now() / 1000) };
    const { value } = await runWithFailover<EmbeddingsResponse>(gateway, call.signal, request.model, candidates, trace, async (attempt) => {
      const sent = await sendAttempt(gateway, call.signal, attempt, (adapter, target) => adapter.buildEmbeddingsRequest(request, target));
      if (!isSent(sent)) return sent;
      return readJsonAnswer(sent, (parsed) => sent.adapter.parseEmbeddingsResponse(parsed, reply, request));
    });
    let usage = value.usage;
    if (!usage.prompt_tokens) {
      const counted = countInputTokens(request);
      usage = { prompt_tokens: counted, total_tokens: counted };
      outcome.estimated = true;
    }
    outcome.usage = { prompt_tokens: usage.prompt_tokens, completion_tokens: 0 };
    outcome.ttfbMs = performance.now() - call.startedAt;
    settle();
    writeJson(call.res, 200, { ...value, usage });
  } catch (err) {
    const error = toKeyholdError(err);
    outcome.status = error.status;
    outcome.errorCode = error.code;
    settle();
    if (!(error instanceof ClientClosedRequest)) writeError(call.res, error);
    if (error.code === 'ERR_INTERNAL') gateway.deps.log.error({ err, requestId: call.requestId }, 'embeddings call failed');
  } finally {
    settle();
  }
}
