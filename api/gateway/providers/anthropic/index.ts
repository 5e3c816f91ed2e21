// Anthropic's adapter: OpenAI chat to the Messages API and back, JSON and stream. Anthropic has no
// embeddings API, so embeddings are refused with a 400 naming the model.
import type { ProviderAdapter } from '../adapter';
import { UnsupportedParameter } from '../../../errors';
import { fromAnthropicResponse, toAnthropicRequest } from './chat-completions';
import { fromAnthropicStream } from './chat-stream';

const refuseEmbeddings = (): never => {
  throw new UnsupportedParameter('model', 'anthropic', 'no embeddings API');
};

export const anthropicAdapter: ProviderAdapter = {
  buildChatRequest: (request, target, { stream }) => toAnthropicRequest(request, target, stream),
  parseChatResponse: fromAnthropicResponse,
  createStreamTranslator: fromAnthropicStream,
  buildEmbeddingsRequest: refuseEmbeddings,
  parseEmbeddingsResponse: refuseEmbeddings,
};
