// Google Gemini's adapter (Generative Language API v1beta): generateContent, streamGenerateContent
// over SSE and batchEmbedContents. The API key is added by api.ts, in a header, never in the URL.
import type { ProviderAdapter } from '../adapter';
import { fromGeminiResponse, toGeminiRequest } from './chat-completions';
import { fromGeminiStream } from './chat-stream';
import { fromGeminiEmbeddingsResponse, toGeminiEmbeddingsRequest } from './embeddings';

export const googleGeminiAdapter: ProviderAdapter = {
  buildChatRequest: (request, target, { stream }) => toGeminiRequest(request, target, stream),
  parseChatResponse: fromGeminiResponse,
  createStreamTranslator: fromGeminiStream,
  buildEmbeddingsRequest: toGeminiEmbeddingsRequest,
  parseEmbeddingsResponse: fromGeminiEmbeddingsResponse,
};
