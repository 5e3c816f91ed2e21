// OpenAI's SSE stream to the client's SSE stream: chunks pass through re-labelled with the client's
// model; the usage-only chunk is kept aside (the gateway re-sends it if asked); an error event or a
// body that ends before [DONE] is an UpstreamStreamError.
import type { ChatCompletionChunk, ChunkChoice, Usage } from '../../openai/responses';
import type { ReplyContext, StreamTranslator, WritableTranslator } from '../adapter';
import { createSseDecoder } from '../../stream/sse-decoder';
import { UpstreamStreamError } from '../../upstream-stream-error';
import { extractUpstreamErrorMessage } from '../../upstream-error';
import { isRecord } from '../json-value';

/**
 * A choice the client can read, or null. Azure's asynchronous content filter sends annotation-only
 * choices (content_filter_results/offsets, no delta or delta null): passed on, they break clients
 * and the gateway, which read `delta` of every choice. One that still ends the choice keeps its finish_reason.
 */
function readChoice(choice: unknown): ChunkChoice | null {
  if (!isRecord(choice)) return null;
  if (isRecord(choice.delta)) return choice as unknown as ChunkChoice;
  if (typeof choice.finish_reason === 'string') return { ...(choice as unknown as ChunkChoice), delta: {} };
  return null;
}

export function fromOpenAiStream(reply: ReplyContext): StreamTranslator {
  const sse = createSseDecoder();
  let done = false;

  const translate = (data: string): ChatCompletionChunk | null => {
    if (data === '[DONE]') {
      done = true;
      return null;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      throw new UpstreamStreamError('the upstream sent a stream event that is not JSON');
    }
    if (!isRecord(parsed)) throw new UpstreamStreamError('the upstream sent a stream event that is not a JSON object');
    if (parsed.error !== undefined) throw new UpstreamStreamError(extractUpstreamErrorMessage(data) ?? 'the upstream reported an error');
    if (parsed.usage && typeof parsed.usage === 'object') translator.usage = parsed.usage as Usage;
    const given = Array.isArray(parsed.choices) ? (parsed.choices as unknown[]) : [];
    // Usually every choice is readable as it came; only then is the array kept as it is.
    const choices = given.every((choice) => isRecord(choice) && isRecord(choice.delta)) ? given : given.map(readChoice).filter((choice) => choice !== null);
    // The usage-only chunk (empty choices) is the gateway's to send; some servers also repeat usage on content chunks.
    if (choices.length === 0) return null;
    // The parsed event is this call's own: relabelled in place rather than copied, field order kept.
    parsed.id = typeof parsed.id === 'string' && parsed.id ? parsed.id : reply.id;
    parsed.object = 'chat.completion.chunk';
    parsed.created = typeof parsed.created === 'number' ? parsed.created : reply.created;
    parsed.model = reply.model;
    parsed.choices = choices;
    parsed.usage = undefined;
    return parsed as unknown as ChatCompletionChunk;
  };

  // The code above sets `usage` on it as the upstream reports it (see WritableTranslator).
  const translator: WritableTranslator = {
    push(bytes) {
      const chunks: ChatCompletionChunk[] = [];
      for (const event of sse.push(bytes)) {
        if (done) continue;
        if (event.event === 'error') throw new UpstreamStreamError(extractUpstreamErrorMessage(event.data) ?? 'the upstream reported an error');
        const chunk = translate(event.data);
        if (chunk) chunks.push(chunk);
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
