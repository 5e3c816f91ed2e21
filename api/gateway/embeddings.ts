// POST /v1/embeddings: like chat without streams. Providers that report no token count get the
// inputs counted here, so usage and limits always see a number.
import { performance } from 'node:perf_hooks';
import { parseInput } from '../http/validate';
import { embeddingInputsAsText, embeddingsRequest, type EmbeddingsRequest } from './openai/embeddings-request';
import type { EmbeddingsResponse } from './openai/responses';
import { resolveModel } from './routing/resolve-model';
import { runWithFailover } from './failover';
import type { Gateway } from './gateway';
import type { GatewayCall } from './gateway-call';
import { writeJson } from './respond';
import { isSent, readJsonAnswer, sendAttempt } from './upstream-attempt';
import { countTextTokens } from './token-count';
import { runModelCall } from './model-call';
import type { BodyReader } from './routes';
import { isCount } from '../audit/usage-record';

function countInputTokens(request: EmbeddingsRequest): number {
  const texts = embeddingInputsAsText(request);
  if (texts) return texts.reduce((sum, text) => sum + countTextTokens(text), 0);
  // Token ids were sent: their count is the count.
  const input = request.input as number[] | number[][];
  return Array.isArray(input[0]) ? (input as number[][]).reduce((sum, ids) => sum + ids.length, 0) : input.length;
}

export async function handleEmbeddings(gateway: Gateway, call: GatewayCall, readBody: BodyReader): Promise<void> {
  await runModelCall(gateway, call, 'embeddings', readBody, async ({ body, outcome, trace, settle, admit }) => {
    const request = parseInput(embeddingsRequest, body);
    const candidates = resolveModel(gateway.catalog.snapshot, gateway.deps.access, call.principal, request.model);
    await admit(candidates, () => ({ promptTokens: countInputTokens(request), completionTokens: 0 }));
    const reply = { model: request.model, id: '', created: Math.floor(Date.now() / 1000) };
    const { value } = await runWithFailover<EmbeddingsResponse>(gateway, call.signal, request.model, candidates, trace, async (attempt) => {
      const sent = await sendAttempt(gateway, call.signal, attempt, (adapter, target) => adapter.buildEmbeddingsRequest(request, target));
      if (!isSent(sent)) return sent;
      return readJsonAnswer(sent, (parsed) => sent.adapter.parseEmbeddingsResponse(parsed, reply, request));
    });
    let usage = value.usage;
    // As for chat (usageOrCount): only a count from the upstream is taken, and 0 means it did not count.
    if (!isCount(usage.prompt_tokens) || usage.prompt_tokens === 0) {
      const counted = countInputTokens(request);
      usage = { prompt_tokens: counted, total_tokens: counted };
      outcome.estimated = true;
    }
    outcome.usage = { prompt_tokens: usage.prompt_tokens, completion_tokens: 0 };
    outcome.ttfbMs = performance.now() - call.startedAt;
    await settle();
    writeJson(call.res, 200, { ...value, usage }, call.headers);
  });
}
