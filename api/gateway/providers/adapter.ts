// The contract each provider adapter meets: OpenAI's request in, the upstream's request out (auth is
// applied later, by ProviderApi.applyUpstreamAuth); the upstream's answer, stream and embeddings in,
// OpenAI's shapes out. Adapters are pure translation: no I/O, no retries, no secrets.
import type { ChatCompletionRequest } from '../openai/chat-request';
import type { EmbeddingsRequest } from '../openai/embeddings-request';
import type { ChatCompletion, ChatCompletionChunk, EmbeddingsResponse, Usage } from '../openai/responses';
import type { UpstreamAccount, UpstreamRequest } from './types';

/** Where one call goes: the account, and the model name the upstream knows (deployment, model id). */
export interface ModelTarget {
  account: UpstreamAccount;
  upstreamModel: string;
}

/** Identity of the answer the client sees: the model it asked for, and ids chosen by the gateway. */
export interface ReplyContext {
  /** The model name as the client sent it (`gpt-4o` or `openai-main/gpt-4o`). */
  model: string;
  /** `chatcmpl-…`, used when the upstream supplies no id of its own. */
  id: string;
  /** Unix seconds. */
  created: number;
}

/**
 * Turns the raw bytes of a streaming upstream body into OpenAI chunks. It must not emit
 * usage-only chunks: it records usage in `usage`, and the gateway sends the final usage chunk
 * itself when the client asked for one (stream_options.include_usage).
 */
export interface StreamTranslator {
  /** Bytes as they arrive (any split, even mid-character); returns the chunks they complete. Throws UpstreamStreamError on an in-stream error event. */
  push(bytes: Uint8Array): ChatCompletionChunk[];
  /** The upstream body ended. Throws UpstreamStreamError when it ended before the upstream said it was done. */
  finish(): ChatCompletionChunk[];
  /** Token usage the upstream reported so far; null when it reported none. */
  readonly usage: Usage | null;
}

/**
 * What an adapter builds and updates as events arrive: `usage` is a data property, not a getter over
 * a local variable. V8 defines a getter of an object literal through its runtime every time the
 * literal is made: about 0.9 µs a stream against 0.1 (measured), on every streamed call.
 */
export type WritableTranslator = Omit<StreamTranslator, 'usage'> & { usage: Usage | null };

export interface ProviderAdapter {
  /** Build the upstream chat call. Throws UnsupportedParameter for a field the upstream cannot honour. */
  buildChatRequest(request: ChatCompletionRequest, target: ModelTarget, options: { stream: boolean }): UpstreamRequest;
  /** A 2xx JSON body of a non-streaming chat call, as an OpenAI chat.completion. */
  parseChatResponse(body: unknown, reply: ReplyContext): ChatCompletion;
  createStreamTranslator(reply: ReplyContext): StreamTranslator;
  /** Throws UnsupportedParameter (param `model`) when the provider has no embeddings API. */
  buildEmbeddingsRequest(request: EmbeddingsRequest, target: ModelTarget): UpstreamRequest;
  parseEmbeddingsResponse(body: unknown, reply: ReplyContext, request: EmbeddingsRequest): EmbeddingsResponse;
}
