// Reading Gemini's answer pieces that the JSON reply and the stream share: a candidate's text and
// function calls, its finish reason, usage metadata and the prompt-block signal. No chunk or choice
// building here: chat-completions.ts and chat-stream.ts own those shapes.
import type { FinishReason, Usage } from '../../openai/responses';
import { isRecord } from '../json-value';

export const GEMINI_PROVIDER = 'google-gemini';

export interface CandidateCall {
  name: string;
  /** The args object as OpenAI's JSON string. */
  arguments: string;
}

export interface CandidateParts {
  text: string;
  hasText: boolean;
  calls: CandidateCall[];
}

/**
 * The visible text and function calls of one candidate (or of one stream event's slice of it).
 * Thought parts are skipped: they are reasoning summaries, not the answer, and we never ask for them.
 */
export function readCandidateParts(candidate: Record<string, unknown>): CandidateParts {
  const parts = isRecord(candidate.content) && Array.isArray(candidate.content.parts) ? candidate.content.parts : [];
  const texts: string[] = [];
  const calls: CandidateCall[] = [];
  for (const part of parts) {
    if (!isRecord(part) || part.thought === true) continue;
    if (typeof part.text === 'string') texts.push(part.text);
    if (isRecord(part.functionCall) && typeof part.functionCall.name === 'string') {
      calls.push({ name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) });
    }
  }
  return { text: texts.join(''), hasText: texts.length > 0, calls };
}

/** Gemini gives function calls no id; OpenAI clients need one to pair the tool result with the call. */
export function buildToolCallId(choiceIndex: number, callNumber: number): string {
  return `call_${choiceIndex}_${callNumber}`;
}

/** proto3 JSON leaves out zero values, so candidate 0 often has no `index` at all. */
export function readCandidateIndex(candidate: Record<string, unknown>, position: number): number {
  return typeof candidate.index === 'number' ? candidate.index : position;
}

const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION']);

/** The candidate's finishReason, or null while a streamed candidate is still going. */
export function readFinishReason(candidate: Record<string, unknown>): string | null {
  const reason = candidate.finishReason;
  return typeof reason === 'string' && reason !== '' && reason !== 'FINISH_REASON_UNSPECIFIED' ? reason : null;
}

/** STOP after function calls is OpenAI's tool_calls; every filter family is content_filter. */
export function mapFinishReason(reason: string | null, hasToolCalls: boolean): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason !== null && FILTERED.has(reason)) return 'content_filter';
  return hasToolCalls ? 'tool_calls' : 'stop';
}

/** True when Gemini refused the prompt itself: promptFeedback.blockReason, and no candidate at all. */
export function isPromptBlocked(body: Record<string, unknown>): boolean {
  return isRecord(body.promptFeedback) && typeof body.promptFeedback.blockReason === 'string' && body.promptFeedback.blockReason !== '';
}

function readCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * usageMetadata as OpenAI usage. Thinking tokens are billed as output, so they join completion_tokens
 * (and are named in reasoning_tokens); tool-use prompt tokens are billed as input, so they join prompt_tokens.
 */
export function fromGeminiUsage(metadata: unknown): Usage | null {
  if (!isRecord(metadata)) return null;
  const prompt = readCount(metadata.promptTokenCount) + readCount(metadata.toolUsePromptTokenCount);
  const thoughts = readCount(metadata.thoughtsTokenCount);
  const completion = readCount(metadata.candidatesTokenCount) + thoughts;
  const total = typeof metadata.totalTokenCount === 'number' ? metadata.totalTokenCount : prompt + completion;
  const usage: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total };
  const cached = readCount(metadata.cachedContentTokenCount);
  if (cached > 0) usage.prompt_tokens_details = { cached_tokens: cached };
  if (thoughts > 0) usage.completion_tokens_details = { reasoning_tokens: thoughts };
  return usage;
}
