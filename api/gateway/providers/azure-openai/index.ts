// Azure OpenAI: OpenAI's bodies and stream, sent to a deployment
// (/openai/deployments/<deployment>/...?api-version=) with no `model` in the body. The deployment
// is the target's upstream model name (an account alias maps a public name to it).
import type { ProviderAdapter, ModelTarget } from '../adapter';
import { fromOpenAiChatResponse, toOpenAiChatBody } from '../openai/chat-completions';
import { buildJsonPost, joinUpstreamUrl, resolveBaseUrl } from '../upstream-request';
import { fromOpenAiStream } from '../openai/chat-stream';
import { fromOpenAiEmbeddingsResponse } from '../openai/embeddings';
import { UnsupportedParameter } from '../../../errors';
import { AZURE_DEFAULT_API_VERSION } from './api';

function deploymentUrl(target: ModelTarget, operation: 'chat/completions' | 'embeddings'): string {
  // "." and ".." are dot-segments even once encoded: URL normalisation would drop them and send the
  // call outside /deployments/ (the name can come from the client on an account that serves "*").
  if (target.upstreamModel === '.' || target.upstreamModel === '..') {
    throw new UnsupportedParameter('model', 'azure-openai', 'not a valid deployment name');
  }
  const deployment = encodeURIComponent(target.upstreamModel);
  return joinUpstreamUrl(resolveBaseUrl(target.account, null), `/openai/deployments/${deployment}/${operation}`, {
    'api-version': target.account.apiVersion?.trim() || AZURE_DEFAULT_API_VERSION,
  });
}

export const azureOpenAiAdapter: ProviderAdapter = {
  buildChatRequest: (request, target, { stream }) =>
    buildJsonPost(deploymentUrl(target, 'chat/completions'), toOpenAiChatBody(request, null, stream), stream ? { accept: 'text/event-stream' } : {}),
  parseChatResponse: fromOpenAiChatResponse,
  createStreamTranslator: fromOpenAiStream,
  buildEmbeddingsRequest: (request, target) => {
    const { model: _model, ...body } = request;
    return buildJsonPost(deploymentUrl(target, 'embeddings'), body);
  },
  parseEmbeddingsResponse: fromOpenAiEmbeddingsResponse,
};
