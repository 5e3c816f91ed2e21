// Gemini's streamGenerateContent?alt=sse body as OpenAI chunks. Each SSE event is a partial
// GenerateContentResponse: text and whole function calls per candidate, usage on (nearly) every
// event, finishReason on a candidate's last one. Gemini has no end marker: the stream is complete
// once every candidate it started has finished (or the prompt itself was blocked).
import type { ChatCompletionChunk, ChunkDelta, FinishReason } from '../../openai/responses';
import type { ReplyContext, StreamTranslator, WritableTranslator } from '../adapter';
import { createSseDecoder } from '../../stream/sse-decoder';
import { UpstreamStreamError } from '../../upstream-stream-error';
import { extractUpstreamErrorMessage } from '../../upstream-error';
import {
  buildToolCallId,
  fromGeminiUsage,
  isPromptBlocked,
  mapFinishReason,
  readCandidateIndex,
  readCandidateParts,
  readFinishReason,
} from './candidates';
import { isRecord } from '../json-value';
import { fromGeminiLogprobs } from './logprobs';

interface CandidateState {
  toolCalls: number;
  finished: boolean;
}

function parseEvent(data: string): Record<string, unknown> {
  let event: unknown;
  try {
    event = JSON.parse(data);
  } catch {
    throw new UpstreamStreamError('the upstream sent a stream event that is not JSON');
  }
  if (!isRecord(event)) throw new UpstreamStreamError('the upstream sent a stream event that is not an object');
  if (event.error !== undefined) {
    const code = isRecord(event.error) ? event.error.code : undefined;
    const status = typeof code === 'number' && code >= 400 && code <= 599 ? code : null;
    throw new UpstreamStreamError(extractUpstreamErrorMessage(data) ?? 'the upstream reported an error', status);
  }
  return event;
}

export function fromGeminiStream(reply: ReplyContext): StreamTranslator {
  const sse = createSseDecoder();
  const states = new Map<number, CandidateState>();
  let id: string | null = null;
  let blocked = false;

  const chunk = (index: number, delta: ChunkDelta, finish: FinishReason | null = null, logprobs: unknown = null): ChatCompletionChunk => ({
    id: id ?? reply.id,
    object: 'chat.completion.chunk',
    created: reply.created,
    model: reply.model,
    choices: [{ index, delta, finish_reason: finish, logprobs }],
  });

  const startCandidate = (index: number, out: ChatCompletionChunk[]): CandidateState => {
    let state = states.get(index);
    if (!state) {
      state = { toolCalls: 0, finished: false };
      states.set(index, state);
      out.push(chunk(index, { role: 'assistant', content: '' }));
    }
    return state;
  };

  const translateCandidate = (candidate: Record<string, unknown>, position: number, out: ChatCompletionChunk[]): void => {
    const index = readCandidateIndex(candidate, position);
    const state = startCandidate(index, out);
    if (state.finished) return;
    const { text, calls } = readCandidateParts(candidate);
    if (text !== '') out.push(chunk(index, { content: text }, null, fromGeminiLogprobs(candidate.logprobsResult)));
    for (const call of calls) {
      // Gemini sends each call whole, so name and arguments go in one delta.
      const delta = { index: state.toolCalls, id: buildToolCallId(index, state.toolCalls), type: 'function' as const, function: call };
      out.push(chunk(index, { tool_calls: [delta] }));
      state.toolCalls += 1;
    }
    const reason = readFinishReason(candidate);
    if (reason !== null) {
      out.push(chunk(index, {}, mapFinishReason(reason, state.toolCalls > 0)));
      state.finished = true;
    }
  };

  const translate = (data: string): ChatCompletionChunk[] => {
    const event = parseEvent(data);
    id ??= typeof event.responseId === 'string' && event.responseId ? event.responseId : reply.id;
    translator.usage = fromGeminiUsage(event.usageMetadata) ?? translator.usage;
    const out: ChatCompletionChunk[] = [];
    const candidates = Array.isArray(event.candidates) ? event.candidates : [];
    candidates.forEach((candidate, position) => {
      if (isRecord(candidate)) translateCandidate(candidate, position, out);
    });
    if (candidates.length === 0 && states.size === 0 && !blocked && isPromptBlocked(event)) {
      blocked = true;
      out.push(chunk(0, { role: 'assistant', content: '' }), chunk(0, {}, 'content_filter'));
    }
    return out;
  };

  const isComplete = (): boolean => blocked || (states.size > 0 && [...states.values()].every((state) => state.finished));

  // The code above sets `usage` on it as the upstream reports it (see WritableTranslator).
  const translator: WritableTranslator = {
    push(bytes) {
      return sse.push(bytes).flatMap((event) => translate(event.data));
    },
    finish() {
      if (!isComplete()) throw new UpstreamStreamError('the upstream stream ended before it was complete');
      return [];
    },
    usage: null,
  };
  return translator;
}
