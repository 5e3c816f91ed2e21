// Ollama's adapter, over its native API (/api/chat, /api/embed) rather than its OpenAI-compatible
// /v1 routes: the native API is the one every Ollama version serves. Auth is added later by ./api.ts.
import type { ProviderAdapter } from '../adapter';
import { fromOllamaResponse, toOllamaRequest } from './chat-completions';
import { fromOllamaStream } from './chat-stream';
import { fromOllamaEmbeddingsResponse, toOllamaEmbeddingsRequest } from './embeddings';

export const ollamaAdapter: ProviderAdapter = {
  buildChatRequest: (request, target, { stream }) => toOllamaRequest(request, target, stream),
  parseChatResponse: fromOllamaResponse,
  createStreamTranslator: fromOllamaStream,
  buildEmbeddingsRequest: toOllamaEmbeddingsRequest,
  parseEmbeddingsResponse: fromOllamaEmbeddingsResponse,
};
