// Gemini's generateContent call: OpenAI's chat request as a GenerateContentRequest (generation
// settings, tools, tool choice) and the answer as a chat.completion. Messages are contents.ts's.
import type { ChatCompletionRequest, ChatRequestField, FunctionTool } from '../../openai/chat-request';
import type { ChatChoice, ChatCompletion } from '../../openai/responses';
import type { ModelTarget, ReplyContext } from '../adapter';
import type { UpstreamRequest } from '../types';
import { RequestInvalid, UnsupportedParameter } from '../../../errors';
import { UpstreamStreamError } from '../../upstream-stream-error';
import { buildJsonPost, joinUpstreamUrl, resolveBaseUrl } from '../upstream-request';
import { GEMINI_DEFAULT_BASE_URL } from './api';
import {
  GEMINI_PROVIDER,
  buildToolCallId,
  fromGeminiUsage,
  isPromptBlocked,
  mapFinishReason,
  readCandidateIndex,
  readCandidateParts,
  readFinishReason,
} from './candidates';
import { isRecord } from '../json-value';
import { toGeminiConversation } from './contents';
import { fromGeminiLogprobs } from './logprobs';

type GeminiMethod = 'generateContent' | 'streamGenerateContent' | 'batchEmbedContents';

/** {base}/v1beta/models/{model}:{method}. The key is never in the URL: api.ts puts it in a header. */
export function buildGeminiModelUrl(target: ModelTarget, method: GeminiMethod, query: Record<string, string> = {}): string {
  // Gemini lists models as "models/<id>"; accept an alias copied from there as well as the bare id.
  const model = encodeURIComponent(target.upstreamModel.replace(/^models\//, ''));
  return joinUpstreamUrl(resolveBaseUrl(target.account, GEMINI_DEFAULT_BASE_URL), `/v1beta/models/${model}:${method}`, query);
}

// Fields with no Gemini equivalent: a 400 naming the field, never a silently different answer.
// Dropped as harmless metadata: user, safety_identifier, prompt_cache_key, metadata, store, service_tier
// (and stream/stream_options, which the gateway handles).
const REFUSED: ReadonlyArray<[ChatRequestField, string]> = [
  ['logit_bias', 'Gemini has no token biasing'],
  ['audio', 'no audio output through generateContent'],
  ['prediction', 'no predicted outputs'],
  ['verbosity', 'no verbosity setting'],
  ['web_search_options', 'Google Search grounding is not mapped'],
  ['functions', 'legacy functions; use tools'],
  ['function_call', 'legacy function_call; use tool_choice'],
];

function refuseUnsupported(request: ChatCompletionRequest): void {
  for (const [field, detail] of REFUSED) {
    if (request[field] !== undefined && request[field] !== null) throw new UnsupportedParameter(field, GEMINI_PROVIDER, detail);
  }
  if (request.modalities?.some((modality) => modality !== 'text')) throw new UnsupportedParameter('modalities', GEMINI_PROVIDER, 'text output only');
  // Gemini decides alone whether to call functions in parallel; `true` is what it does anyway.
  if (request.parallel_tool_calls === false) throw new UnsupportedParameter('parallel_tool_calls', GEMINI_PROVIDER, 'cannot forbid parallel calls');
  if (request.top_logprobs && !request.logprobs) throw new RequestInvalid('top_logprobs requires logprobs to be true', 'top_logprobs');
}

function toGenerationConfig(request: ChatCompletionRequest): Record<string, unknown> {
  const stop = typeof request.stop === 'string' ? [request.stop] : request.stop?.length ? request.stop : undefined;
  const format = request.response_format;
  const entries: Record<string, unknown> = {
    temperature: request.temperature,
    topP: request.top_p,
    maxOutputTokens: request.max_completion_tokens ?? request.max_tokens,
    stopSequences: stop,
    candidateCount: request.n,
    seed: request.seed,
    presencePenalty: request.presence_penalty,
    frequencyPenalty: request.frequency_penalty,
    responseMimeType: format?.type === 'json_object' || format?.type === 'json_schema' ? 'application/json' : undefined,
    // responseJsonSchema takes JSON Schema as-is; responseSchema would need OpenAPI's subset. `strict`
    // needs no flag: Gemini always constrains decoding to the schema.
    responseJsonSchema: format?.type === 'json_schema' ? format.json_schema.schema : undefined,
    responseLogprobs: request.logprobs ? true : undefined,
    logprobs: request.logprobs && request.top_logprobs ? request.top_logprobs : undefined,
    // Gemini's thinking levels are OpenAI's reasoning efforts, name for name (Gemini 2.5 models only
    // take a token budget and answer this with their own 400).
    thinkingConfig: request.reasoning_effort ? { thinkingLevel: request.reasoning_effort } : undefined,
  };
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined && value !== null));
}

function toFunctionDeclaration({ function: fn }: FunctionTool): Record<string, unknown> {
  // parametersJsonSchema, not parameters: OpenAI tools carry JSON Schema (additionalProperties, anyOf,
  // $ref…) that Gemini's OpenAPI-subset `parameters` rejects. `strict` has no equivalent and is a hint.
  return {
    name: fn.name,
    ...(fn.description !== undefined ? { description: fn.description } : {}),
    ...(fn.parameters !== undefined ? { parametersJsonSchema: fn.parameters } : {}),
  };
}

function toToolConfig(choice: ChatCompletionRequest['tool_choice']): Record<string, unknown> | undefined {
  if (choice === undefined) return undefined;
  if (typeof choice === 'object') return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] } };
  const mode = { auto: 'AUTO', none: 'NONE', required: 'ANY' }[choice];
  return { functionCallingConfig: { mode } };
}

export function toGeminiRequestBody(request: ChatCompletionRequest): Record<string, unknown> {
  refuseUnsupported(request);
  const generationConfig = toGenerationConfig(request);
  const toolConfig = toToolConfig(request.tool_choice);
  return {
    ...toGeminiConversation(request.messages),
    ...(request.tools?.length ? { tools: [{ functionDeclarations: request.tools.map(toFunctionDeclaration) }] } : {}),
    ...(toolConfig ? { toolConfig } : {}),
    ...(Object.keys(generationConfig).length > 0 ? { generationConfig } : {}),
  };
}

export function toGeminiRequest(request: ChatCompletionRequest, target: ModelTarget, stream: boolean): UpstreamRequest {
  const body = toGeminiRequestBody(request);
  if (!stream) return buildJsonPost(buildGeminiModelUrl(target, 'generateContent'), body);
  // alt=sse: without it Gemini streams one JSON array, which has no event framing to decode.
  return buildJsonPost(buildGeminiModelUrl(target, 'streamGenerateContent', { alt: 'sse' }), body, { accept: 'text/event-stream' });
}

function toChoice(candidate: Record<string, unknown>, position: number): ChatChoice {
  const index = readCandidateIndex(candidate, position);
  const { text, hasText, calls } = readCandidateParts(candidate);
  const toolCalls = calls.map((call, number) => ({ id: buildToolCallId(index, number), type: 'function' as const, function: call }));
  return {
    index,
    message: { role: 'assistant', content: hasText ? text : null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
    finish_reason: mapFinishReason(readFinishReason(candidate), toolCalls.length > 0),
    logprobs: fromGeminiLogprobs(candidate.logprobsResult),
  };
}

/** A GenerateContentResponse as a chat.completion; a prompt Gemini blocked is one empty content_filter choice. */
export function fromGeminiResponse(body: unknown, reply: ReplyContext): ChatCompletion {
  if (!isRecord(body)) throw new UpstreamStreamError('the upstream answered without candidates');
  const candidates = Array.isArray(body.candidates) ? body.candidates.filter(isRecord) : [];
  let choices: ChatChoice[];
  if (candidates.length > 0) choices = candidates.map(toChoice);
  else if (isPromptBlocked(body)) choices = [{ index: 0, message: { role: 'assistant', content: null }, finish_reason: 'content_filter', logprobs: null }];
  else throw new UpstreamStreamError('the upstream answered without candidates');
  const usage = fromGeminiUsage(body.usageMetadata);
  return {
    id: typeof body.responseId === 'string' && body.responseId ? body.responseId : reply.id,
    object: 'chat.completion',
    created: reply.created,
    model: reply.model,
    choices,
    ...(usage ? { usage } : {}),
  };
}
