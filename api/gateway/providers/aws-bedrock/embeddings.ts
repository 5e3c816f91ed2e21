// Embeddings on Bedrock: Converse has none, so Amazon Titan text embeddings through InvokeModel,
// one input per call (Titan's own body). Other embedding models on Bedrock each have their own
// bodies and are refused rather than guessed at.
import type { EmbeddingsRequest } from '../../openai/embeddings-request';
import { embeddingInputsAsText } from '../../openai/embeddings-request';
import type { EmbeddingsResponse } from '../../openai/responses';
import type { ModelTarget, ReplyContext } from '../adapter';
import type { UpstreamRequest } from '../types';
import { UnsupportedParameter } from '../../../errors';
import { UpstreamStreamError } from '../../upstream-stream-error';
import { buildJsonPost, joinUpstreamUrl } from '../upstream-request';
import { isRecord } from '../json-value';
import { resolveBedrockRuntimeUrl } from './api';

const PROVIDER = 'aws-bedrock';
const TITAN_PREFIX = 'amazon.titan-embed';
// Titan Text Embeddings V2 is the only Titan model that takes `dimensions` and `normalize`;
// V1 and G1 refuse any key but inputText.
const TITAN_V2_PREFIX = 'amazon.titan-embed-text-v2';
const TITAN_V2_DIMENSIONS: readonly number[] = [256, 512, 1024];

function toTitanBody(request: EmbeddingsRequest, model: string, inputText: string): Record<string, unknown> {
  if (!model.startsWith(TITAN_V2_PREFIX)) {
    if (request.dimensions !== undefined) throw new UnsupportedParameter('dimensions', PROVIDER, 'only Titan Text Embeddings V2 takes dimensions');
    return { inputText };
  }
  if (request.dimensions !== undefined && !TITAN_V2_DIMENSIONS.includes(request.dimensions)) {
    throw new UnsupportedParameter('dimensions', PROVIDER, 'Titan Text Embeddings V2 offers 256, 512 or 1024');
  }
  // normalize: OpenAI's vectors are unit length, and clients compare them with a dot product.
  return { inputText, ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }), normalize: true };
}

export function toBedrockEmbeddingsRequest(request: EmbeddingsRequest, target: ModelTarget): UpstreamRequest {
  const model = target.upstreamModel;
  if (!model.startsWith(TITAN_PREFIX)) throw new UnsupportedParameter('model', PROVIDER, 'only Amazon Titan embedding models (amazon.titan-embed…) are supported');
  const inputs = embeddingInputsAsText(request);
  if (inputs === null) throw new UnsupportedParameter('input', PROVIDER, 'Titan takes text, not token ids');
  // One upstream call per request: fanning out here would hide N billed calls behind one.
  if (inputs.length !== 1) throw new UnsupportedParameter('input', PROVIDER, 'Titan embeds one input per call');
  const url = joinUpstreamUrl(resolveBedrockRuntimeUrl(target.account), `/model/${encodeURIComponent(model)}/invoke`);
  return buildJsonPost(url, toTitanBody(request, model, inputs[0] ?? ''));
}

function toBase64(vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

export function fromBedrockEmbeddingsResponse(body: unknown, reply: ReplyContext, request: EmbeddingsRequest): EmbeddingsResponse {
  if (!isRecord(body) || !Array.isArray(body.embedding) || !body.embedding.every((value) => typeof value === 'number')) {
    throw new UpstreamStreamError('the upstream answered without an embedding');
  }
  const vector = body.embedding as number[];
  const tokens = typeof body.inputTextTokenCount === 'number' ? body.inputTextTokenCount : 0; // counted by the gateway when absent
  return {
    object: 'list',
    data: [{ object: 'embedding', index: 0, embedding: request.encoding_format === 'base64' ? toBase64(vector) : vector }],
    model: reply.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
