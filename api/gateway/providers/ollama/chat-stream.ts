// Ollama's NDJSON chat stream to OpenAI chunks: each line is a partial message, the last one has
// done:true with the stop reason and token counts (kept in `usage`, never sent as a chunk here).
// An {"error":"..."} line, or a body that ends before done:true, is an UpstreamStreamError.
import type { ChatCompletionChunk, ChunkDelta, FinishReason } from '../../openai/responses';
import type { ReplyContext, StreamTranslator, WritableTranslator } from '../adapter';
import { createNdjsonDecoder } from '../../stream/ndjson-decoder';
import { UpstreamStreamError } from '../../upstream-stream-error';
import { isRecord } from '../json-value';
import { fromOllamaToolCalls, readCreated, readOllamaUsage, toFinishReason } from './chat-completions';

export function fromOllamaStream(reply: ReplyContext): StreamTranslator {
  const ndjson = createNdjsonDecoder();
  let created: number | null = null;
  let toolCallCount = 0;
  let done = false;

  const chunk = (delta: ChunkDelta, finishReason: FinishReason | null = null): ChatCompletionChunk => ({
    id: reply.id,
    object: 'chat.completion.chunk',
    created: created ?? reply.created,
    model: reply.model,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  });

  const translate = (line: unknown): ChatCompletionChunk[] => {
    if (!isRecord(line)) throw new UpstreamStreamError('the upstream sent a stream line that is not an object');
    if (line.error !== undefined) {
      throw new UpstreamStreamError(typeof line.error === 'string' && line.error !== '' ? line.error : 'the upstream reported an error');
    }
    // Anything after the final line is not part of this answer.
    if (done) return [];
    const chunks: ChatCompletionChunk[] = [];
    if (created === null) {
      // Every chunk of one answer carries the same `created`, as OpenAI's do: the first line's.
      created = readCreated(line.created_at, reply.created);
      chunks.push(chunk({ role: 'assistant', content: '' }));
    }
    const message = isRecord(line.message) ? line.message : {};
    // `thinking` pieces (reasoning models) have no place in a chat.completion chunk and are skipped.
    if (typeof message.content === 'string' && message.content !== '') chunks.push(chunk({ content: message.content }));
    // Ollama sends each tool call whole, so the name and the complete arguments arrive together.
    for (const call of fromOllamaToolCalls(message.tool_calls, toolCallCount)) {
      const index = toolCallCount;
      toolCallCount += 1;
      chunks.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: call.function.arguments } }] }));
    }
    if (line.done === true) {
      done = true;
      translator.usage = readOllamaUsage(line);
      chunks.push(chunk({}, toFinishReason(line.done_reason, toolCallCount > 0)));
    }
    return chunks;
  };

  // The code above sets `usage` on it as the upstream reports it (see WritableTranslator).
  const translator: WritableTranslator = {
    push: (bytes) => ndjson.push(bytes).flatMap(translate),
    finish() {
      const chunks = ndjson.finish().flatMap(translate);
      if (!done) throw new UpstreamStreamError('the upstream stream ended before it was complete');
      return chunks;
    },
    usage: null,
  };
  return translator;
}
