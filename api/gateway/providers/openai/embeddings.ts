// OpenAI's embeddings call: the body goes upstream with the account's model name; the answer is
// re-labelled with the model the client asked for.
import type { EmbeddingsRequest } from '../../openai/embeddings-request';
import type { EmbeddingsResponse } from '../../openai/responses';
import type { ModelTarget, ReplyContext } from '../adapter';
import type { UpstreamRequest } from '../types';
import { joinUpstreamUrl, resolveBaseUrl, buildJsonPost } from '../upstream-request';
import { UpstreamStreamError } from '../../upstream-stream-error';
import { isRecord } from '../json-value';

export function toOpenAiEmbeddingsRequest(request: EmbeddingsRequest, target: ModelTarget, defaultBaseUrl: string | null): UpstreamRequest {
  const url = joinUpstreamUrl(resolveBaseUrl(target.account, defaultBaseUrl), '/embeddings');
  return buildJsonPost(url, { ...request, model: target.upstreamModel });
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number');
}

/**
 * Some OpenAI-compatible servers ignore encoding_format and always send floats; a client that asked
 * for base64 decodes the field as a string, so the floats are encoded here (little-endian float32).
 */
function encodeAsRequested(entry: unknown, request: EmbeddingsRequest): unknown {
  if (request.encoding_format !== 'base64' || !isRecord(entry) || !isNumberArray(entry.embedding)) return entry;
  return { ...entry, embedding: Buffer.from(new Float32Array(entry.embedding).buffer).toString('base64') };
}

export function fromOpenAiEmbeddingsResponse(body: unknown, reply: ReplyContext, request: EmbeddingsRequest): EmbeddingsResponse {
  if (!isRecord(body) || !Array.isArray(body.data)) throw new UpstreamStreamError('the upstream answered without embeddings');
  const usage = isRecord(body.usage) ? body.usage : {};
  // A server that reports no count leaves 0: counted by the gateway.
  const prompt = typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : 0;
  return {
    object: 'list',
    data: body.data.map((entry) => encodeAsRequested(entry, request)) as EmbeddingsResponse['data'],
    model: reply.model,
    usage: { prompt_tokens: prompt, total_tokens: typeof usage.total_tokens === 'number' ? usage.total_tokens : prompt },
  };
}
