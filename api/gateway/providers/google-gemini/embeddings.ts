// Gemini's batchEmbedContents call: OpenAI's inputs as one embed request each, the vectors back
// in OpenAI's list. Gemini reports no token usage here; counting is left to the gateway.
import { embeddingInputsAsText, type EmbeddingsRequest } from '../../openai/embeddings-request';
import type { EmbeddingsResponse } from '../../openai/responses';
import type { ModelTarget, ReplyContext } from '../adapter';
import type { UpstreamRequest } from '../types';
import { UnsupportedParameter } from '../../../errors';
import { UpstreamStreamError } from '../../upstream-stream-error';
import { buildJsonPost } from '../upstream-request';
import { GEMINI_PROVIDER } from './candidates';
import { isRecord } from '../json-value';
import { buildGeminiModelUrl } from './chat-completions';

/** Gemini's own cap on one batchEmbedContents call; refused here rather than as its terser 400. */
export const GEMINI_MAX_EMBED_BATCH = 100;

export function toGeminiEmbeddingsRequest(request: EmbeddingsRequest, target: ModelTarget): UpstreamRequest {
  const inputs = embeddingInputsAsText(request);
  if (inputs === null) throw new UnsupportedParameter('input', GEMINI_PROVIDER, 'token-id inputs; Gemini embeds text only');
  if (inputs.length > GEMINI_MAX_EMBED_BATCH) {
    throw new UnsupportedParameter('input', GEMINI_PROVIDER, `at most ${GEMINI_MAX_EMBED_BATCH} inputs per call`);
  }
  // Each request names the model again, and Gemini insists it is the one in the URL. `user` is dropped (metadata).
  const model = `models/${target.upstreamModel.replace(/^models\//, '')}`;
  const requests = inputs.map((text) => ({
    model,
    content: { parts: [{ text }] },
    ...(request.dimensions !== undefined ? { outputDimensionality: request.dimensions } : {}),
  }));
  return buildJsonPost(buildGeminiModelUrl(target, 'batchEmbedContents'), { requests });
}

function readValues(embedding: unknown): number[] {
  if (!isRecord(embedding) || !Array.isArray(embedding.values) || !embedding.values.every((value) => typeof value === 'number')) {
    throw new UpstreamStreamError('the upstream answered an embedding without values');
  }
  return embedding.values as number[];
}

export function fromGeminiEmbeddingsResponse(body: unknown, reply: ReplyContext, request: EmbeddingsRequest): EmbeddingsResponse {
  if (!isRecord(body) || !Array.isArray(body.embeddings)) throw new UpstreamStreamError('the upstream answered without embeddings');
  const expected = embeddingInputsAsText(request)?.length;
  if (expected !== undefined && body.embeddings.length !== expected) {
    throw new UpstreamStreamError(`the upstream answered ${body.embeddings.length} embeddings for ${expected} inputs`);
  }
  const data = body.embeddings.map((embedding, index) => {
    const values = readValues(embedding);
    const encoded = request.encoding_format === 'base64' ? Buffer.from(new Float32Array(values).buffer).toString('base64') : values;
    return { object: 'embedding' as const, index, embedding: encoded };
  });
  return {
    object: 'list',
    data,
    model: reply.model,
    usage: { prompt_tokens: 0, total_tokens: 0 }, // counted by the gateway
  };
}
