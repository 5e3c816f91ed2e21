// One streaming chat call from the browser: POST /v1/chat/completions with the login cookie and the
// CSRF token (no API key: the page acts as the signed-in user), SSE parsed with eventsource-parser,
// each text delta handed on as it arrives. Failures become ChatError with the server's words.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { api } from '../../../api';
import { ChatError, chatErrorFromResponse } from './chat-error';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface StreamChatOptions {
  model: string;
  messages: ChatMessage[];
  signal: AbortSignal;
  onDelta(text: string): void;
  onUsage(usage: ChatUsage): void;
}

interface StreamChunk {
  choices?: Array<{ delta?: { content?: string | null; refusal?: string | null }; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string; code?: string | null };
}

/** Resolves with the finish reason when the stream ends with [DONE]; rejects with ChatError or an AbortError. */
export async function streamChat(options: StreamChatOptions): Promise<string | null> {
  const csrfToken = await api.csrfToken();
  let res: Response;
  try {
    res = await fetch(api.url('v1/chat/completions'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
      body: JSON.stringify({ model: options.model, messages: options.messages, stream: true, stream_options: { include_usage: true } }),
      signal: options.signal,
    });
  } catch (err) {
    if (options.signal.aborted) throw err;
    throw new ChatError('The Keyhold server could not be reached. Check your connection and try again.', 0);
  }
  if (!res.ok || !res.body) throw await chatErrorFromResponse(res);

  // Filled in by the parser's callback as events arrive.
  const outcome: { finishReason: string | null; ended: boolean; failure: ChatError | null } = { finishReason: null, ended: false, failure: null };
  const onEvent = (event: EventSourceMessage) => {
    if (event.data === '[DONE]') return void (outcome.ended = true);
    let chunk: StreamChunk;
    try {
      chunk = JSON.parse(event.data) as StreamChunk;
    } catch {
      return;
    }
    if (chunk.error) {
      outcome.failure = new ChatError(chunk.error.message ?? 'The model failed while answering.', 502, chunk.error.code ?? null);
      return;
    }
    for (const choice of chunk.choices ?? []) {
      const text = choice.delta?.content ?? choice.delta?.refusal;
      if (text) options.onDelta(text);
      if (choice.finish_reason) outcome.finishReason = choice.finish_reason;
    }
    if (chunk.usage) options.onUsage({ promptTokens: chunk.usage.prompt_tokens ?? 0, completionTokens: chunk.usage.completion_tokens ?? 0 });
  };
  const parser = createParser({ onEvent });

  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(value);
  }
  if (outcome.failure) throw outcome.failure;
  if (!outcome.ended) throw new ChatError('The answer was cut off before it finished. Try again.', 502);
  return outcome.finishReason;
}
