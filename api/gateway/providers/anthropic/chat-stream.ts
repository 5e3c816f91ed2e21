// Anthropic's Messages SSE stream (message_start, content_block_*, message_delta, message_stop) as
// OpenAI chunks. Usage is kept in `usage` for the gateway; an `error` event or a body that ends before
// message_stop is an UpstreamStreamError.
import type { ChatCompletionChunk, ChunkDelta, FinishReason } from '../../openai/responses';
import type { ReplyContext, StreamTranslator, WritableTranslator } from '../adapter';
import { createSseDecoder } from '../../stream/sse-decoder';
import { UpstreamStreamError } from '../../upstream-stream-error';
import { extractUpstreamErrorMessage } from '../../upstream-error';
import { isRecord } from '../json-value';
import { buildAnthropicUsage, readPromptUsage, toFinishReason } from './chat-completions';

// The HTTP status Anthropic gives each error type, so the gateway treats an in-stream failure like the same failure before the stream.
const ERROR_STATUSES: Record<string, number> = {
  invalid_request_error: 400,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

function toStreamError(data: string): UpstreamStreamError {
  let type: unknown;
  try {
    const parsed: unknown = JSON.parse(data);
    type = isRecord(parsed) && isRecord(parsed.error) ? parsed.error.type : undefined;
  } catch {
    type = undefined;
  }
  const status = typeof type === 'string' ? (ERROR_STATUSES[type] ?? null) : null;
  return new UpstreamStreamError(extractUpstreamErrorMessage(data) ?? 'the upstream reported an error', status);
}

export function fromAnthropicStream(reply: ReplyContext): StreamTranslator {
  const sse = createSseDecoder();
  let id = reply.id;
  let prompt = { promptTokens: 0, cachedTokens: null as number | null };
  let completionTokens = 0;
  let finishReason: FinishReason = 'stop';
  let done = false;
  // OpenAI numbers tool calls from 0; Anthropic numbers every content block (text too).
  const toolIndexByBlock = new Map<number, number>();

  const chunk = (delta: ChunkDelta, finish: FinishReason | null = null): ChatCompletionChunk => ({
    id,
    object: 'chat.completion.chunk',
    created: reply.created,
    model: reply.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });

  const recordUsage = (source: unknown): void => {
    if (!isRecord(source)) return;
    // message_delta's usage is cumulative; it repeats input counts only in some API versions.
    if (typeof source.input_tokens === 'number') prompt = readPromptUsage(source);
    if (typeof source.output_tokens === 'number') completionTokens = source.output_tokens;
    translator.usage = buildAnthropicUsage(prompt, completionTokens);
  };

  const translateBlockStart = (index: number, block: Record<string, unknown>): ChatCompletionChunk | null => {
    if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') return chunk({ content: block.text });
    if (block.type !== 'tool_use' || typeof block.id !== 'string' || typeof block.name !== 'string') return null;
    const toolIndex = toolIndexByBlock.size;
    toolIndexByBlock.set(index, toolIndex);
    return chunk({ tool_calls: [{ index: toolIndex, id: block.id, type: 'function', function: { name: block.name, arguments: '' } }] });
  };

  const translateBlockDelta = (index: number, delta: Record<string, unknown>): ChatCompletionChunk | null => {
    if (delta.type === 'text_delta' && typeof delta.text === 'string' && delta.text !== '') return chunk({ content: delta.text });
    const toolIndex = toolIndexByBlock.get(index);
    if (delta.type !== 'input_json_delta' || toolIndex === undefined) return null;
    // Anthropic opens each tool input with an empty piece; it adds nothing to the arguments.
    if (typeof delta.partial_json !== 'string' || delta.partial_json === '') return null;
    return chunk({ tool_calls: [{ index: toolIndex, function: { arguments: delta.partial_json } }] });
  };

  /** One event's chunk, or null for events that change nothing the client sees (ping, block stops, thinking). */
  const translate = (event: Record<string, unknown>): ChatCompletionChunk | null => {
    const index = typeof event.index === 'number' ? event.index : -1;
    switch (event.type) {
      case 'message_start': {
        const message = isRecord(event.message) ? event.message : {};
        if (typeof message.id === 'string' && message.id) id = message.id;
        recordUsage(message.usage);
        return chunk({ role: 'assistant', content: '' });
      }
      case 'content_block_start':
        return isRecord(event.content_block) ? translateBlockStart(index, event.content_block) : null;
      case 'content_block_delta':
        return isRecord(event.delta) ? translateBlockDelta(index, event.delta) : null;
      case 'message_delta':
        if (isRecord(event.delta) && typeof event.delta.stop_reason === 'string') finishReason = toFinishReason(event.delta.stop_reason);
        recordUsage(event.usage);
        return null;
      case 'message_stop':
        done = true;
        return chunk({}, finishReason);
      default:
        return null;
    }
  };

  // The code above sets `usage` on it as the upstream reports it (see WritableTranslator).
  const translator: WritableTranslator = {
    push(bytes) {
      const chunks: ChatCompletionChunk[] = [];
      for (const event of sse.push(bytes)) {
        if (done) continue;
        if (event.event === 'error') throw toStreamError(event.data);
        let parsed: unknown;
        try {
          parsed = JSON.parse(event.data);
        } catch {
          throw new UpstreamStreamError('the upstream sent a stream event that is not JSON');
        }
        if (!isRecord(parsed)) continue;
        if (parsed.type === 'error') throw toStreamError(event.data);
        const translated = translate(parsed);
        if (translated) chunks.push(translated);
      }
      return chunks;
    },
    finish() {
      if (!done) throw new UpstreamStreamError('the upstream stream ended before it was complete');
      return [];
    },
    usage: null,
  };
  return translator;
}
