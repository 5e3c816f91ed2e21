// ConverseStream's binary event stream to OpenAI chunks: text and toolUse deltas become content and
// tool_call deltas, messageStop the finish chunk, metadata the usage (kept for the gateway, never a
// chunk). Exception frames and a body that ends before messageStop are UpstreamStreamErrors.
import type { ChatCompletionChunk, ChunkDelta, FinishReason } from '../../openai/responses';
import type { ReplyContext, StreamTranslator, WritableTranslator } from '../adapter';
import { createAwsEventStreamDecoder, type AwsEvent } from '../../stream/aws-event-stream-decoder';
import { UpstreamStreamError } from '../../upstream-stream-error';
import { isRecord } from '../json-value';
import { readBedrockUsage, toFinishReason } from './chat-completions';

// The HTTP status each ConverseStream exception carries in Bedrock's API model.
const EXCEPTION_STATUS: Readonly<Record<string, number>> = {
  validationException: 400,
  throttlingException: 429,
  modelStreamErrorException: 424,
  internalServerException: 500,
  serviceUnavailableException: 503,
};

function readExceptionMessage(event: AwsEvent): string {
  const message = isRecord(event.payload) ? (event.payload.message ?? event.payload.Message) : undefined;
  if (typeof message === 'string' && message.trim() !== '') return message;
  return `the upstream reported ${event.type || 'an error'}`;
}

export function fromBedrockStream(reply: ReplyContext): StreamTranslator {
  const decoder = createAwsEventStreamDecoder();
  // contentBlockIndex -> OpenAI tool_call index (text blocks take none).
  const toolIndexes = new Map<number, number>();
  let started = false;
  let stopped = false;

  const chunk = (delta: ChunkDelta, finishReason: FinishReason | null = null): ChatCompletionChunk => ({
    id: reply.id,
    object: 'chat.completion.chunk',
    created: reply.created,
    model: reply.model,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  });

  // The role chunk comes first even if the upstream skipped messageStart.
  const withStart = (chunks: ChatCompletionChunk[]): ChatCompletionChunk[] => {
    if (started) return chunks;
    started = true;
    return [chunk({ role: 'assistant', content: '' }), ...chunks];
  };

  const blockIndexOf = (payload: Record<string, unknown>): number =>
    typeof payload.contentBlockIndex === 'number' ? payload.contentBlockIndex : 0;

  const startBlock = (payload: Record<string, unknown>): ChatCompletionChunk[] => {
    const toolUse = isRecord(payload.start) ? payload.start.toolUse : undefined;
    if (!isRecord(toolUse)) return [];
    if (typeof toolUse.toolUseId !== 'string' || typeof toolUse.name !== 'string') {
      throw new UpstreamStreamError('the upstream started a tool call without an id or name');
    }
    const index = toolIndexes.size;
    toolIndexes.set(blockIndexOf(payload), index);
    return withStart([chunk({ tool_calls: [{ index, id: toolUse.toolUseId, type: 'function', function: { name: toolUse.name, arguments: '' } }] })]);
  };

  const deltaBlock = (payload: Record<string, unknown>): ChatCompletionChunk[] => {
    const delta = isRecord(payload.delta) ? payload.delta : {};
    if (typeof delta.text === 'string') return delta.text === '' ? [] : withStart([chunk({ content: delta.text })]);
    if (isRecord(delta.toolUse) && typeof delta.toolUse.input === 'string') {
      const index = toolIndexes.get(blockIndexOf(payload));
      if (index === undefined) throw new UpstreamStreamError('the upstream sent tool input for a tool call it never started');
      return delta.toolUse.input === '' ? [] : [chunk({ tool_calls: [{ index, function: { arguments: delta.toolUse.input } }] })];
    }
    // reasoningContent and other deltas have no place in a chat.completion.chunk: skipped.
    return [];
  };

  const translate = (event: AwsEvent): ChatCompletionChunk[] => {
    if (event.messageType !== 'event') throw new UpstreamStreamError(readExceptionMessage(event), EXCEPTION_STATUS[event.type] ?? null);
    const payload = isRecord(event.payload) ? event.payload : {};
    // metadata (usage) follows messageStop; nothing else is expected after it.
    if (event.type === 'metadata') {
      translator.usage = readBedrockUsage(payload.usage) ?? translator.usage;
      return [];
    }
    if (stopped) return [];
    switch (event.type) {
      case 'messageStart':
        return withStart([]);
      case 'contentBlockStart':
        return startBlock(payload);
      case 'contentBlockDelta':
        return deltaBlock(payload);
      case 'messageStop':
        stopped = true;
        return withStart([chunk({}, toFinishReason(payload.stopReason))]);
      default:
        // contentBlockStop, and event types added later, carry nothing a chunk needs.
        return [];
    }
  };

  // The code above sets `usage` on it as the upstream reports it (see WritableTranslator).
  const translator: WritableTranslator = {
    push(bytes) {
      return decoder.push(bytes).flatMap(translate);
    },
    finish() {
      if (!stopped) throw new UpstreamStreamError('the upstream stream ended before it was complete');
      decoder.finish();
      return [];
    },
    usage: null,
  };
  return translator;
}
