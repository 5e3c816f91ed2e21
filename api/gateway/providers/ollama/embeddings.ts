// Ollama's native embeddings call (POST /api/embed): text in, one vector per input, token count in
// prompt_eval_count. Ollama takes text only, so token-id inputs are refused.
import { embeddingInputsAsText, type EmbeddingsRequest } from '../../openai/embeddings-request';
import type { EmbeddingsResponse } from '../../openai/responses';
import type { ModelTarget, ReplyContext } from '../adapter';
import type { UpstreamRequest } from '../types';
import { UnsupportedParameter } from '../../../errors';
import { UpstreamStreamError } from '../../upstream-stream-error';
import { buildJsonPost, joinUpstreamUrl, resolveBaseUrl } from '../upstream-request';
import { isRecord } from '../json-value';
import { OLLAMA_DEFAULT_BASE_URL } from './api';

/** `user` is metadata and dropped; `encoding_format` is applied to the answer here, not by Ollama. */
export function toOllamaEmbeddingsRequest(request: EmbeddingsRequest, target: ModelTarget): UpstreamRequest {
  if (embeddingInputsAsText(request) === null) throw new UnsupportedParameter('input', 'ollama', 'token-id inputs; send text');
  const body: Record<string, unknown> = { model: target.upstreamModel, input: request.input };
  if (request.dimensions !== undefined) body.dimensions = request.dimensions;
  return buildJsonPost(joinUpstreamUrl(resolveBaseUrl(target.account, OLLAMA_DEFAULT_BASE_URL), '/api/embed'), body);
}

function readVector(value: unknown): number[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'number')) {
    throw new UpstreamStreamError('the upstream sent an embedding that is not a list of numbers');
  }
  return value as number[];
}

export function fromOllamaEmbeddingsResponse(body: unknown, reply: ReplyContext, request: EmbeddingsRequest): EmbeddingsResponse {
  if (!isRecord(body) || !Array.isArray(body.embeddings)) throw new UpstreamStreamError('the upstream answered without embeddings');
  const base64 = request.encoding_format === 'base64';
  const data = body.embeddings.map((value: unknown, index) => {
    const vector = readVector(value);
    // OpenAI's base64 is the little-endian float32 bytes of the vector.
    const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding' as const, index, embedding };
  });
  // Ollama omits a zero count; 0 then means "not reported" and is counted by the gateway.
  const promptTokens = typeof body.prompt_eval_count === 'number' ? body.prompt_eval_count : 0;
  return { object: 'list', data, model: reply.model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } };
}
