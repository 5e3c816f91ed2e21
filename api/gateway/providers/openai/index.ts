// OpenAI's adapter, also used unchanged by openai-compatible servers (their base URL is the account's).
import type { ProviderAdapter } from '../adapter';
import { fromOpenAiChatResponse, toOpenAiChatRequest } from './chat-completions';
import { fromOpenAiStream } from './chat-stream';
import { fromOpenAiEmbeddingsResponse, toOpenAiEmbeddingsRequest } from './embeddings';
import { OPENAI_DEFAULT_BASE_URL } from './api';

export function createOpenAiAdapter(defaultBaseUrl: string | null): ProviderAdapter {
  return {
    buildChatRequest: (request, target, { stream }) => toOpenAiChatRequest(request, target, defaultBaseUrl, stream),
    parseChatResponse: fromOpenAiChatResponse,
    createStreamTranslator: fromOpenAiStream,
    buildEmbeddingsRequest: (request, target) => toOpenAiEmbeddingsRequest(request, target, defaultBaseUrl),
    parseEmbeddingsResponse: fromOpenAiEmbeddingsResponse,
  };
}

export const openAiAdapter = createOpenAiAdapter(OPENAI_DEFAULT_BASE_URL);
