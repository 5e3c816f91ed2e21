// AWS Bedrock's adapter: chat through the Converse API (JSON and event-stream), embeddings through
// InvokeModel for Amazon Titan. Signing is not here: awsBedrockApi.applyUpstreamAuth runs last.
import type { ProviderAdapter } from '../adapter';
import { fromBedrockResponse, toBedrockRequest } from './chat-completions';
import { fromBedrockStream } from './chat-stream';
import { fromBedrockEmbeddingsResponse, toBedrockEmbeddingsRequest } from './embeddings';

export const awsBedrockAdapter: ProviderAdapter = {
  buildChatRequest: (request, target, { stream }) => toBedrockRequest(request, target, stream),
  parseChatResponse: fromBedrockResponse,
  createStreamTranslator: fromBedrockStream,
  buildEmbeddingsRequest: toBedrockEmbeddingsRequest,
  parseEmbeddingsResponse: fromBedrockEmbeddingsResponse,
};
