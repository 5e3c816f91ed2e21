// Anthropic's Messages call: OpenAI's chat request as POST /v1/messages, and the message it answers
// as an OpenAI chat.completion. Message translation is in chat-messages.ts, streams in chat-stream.ts.
import type { ChatCompletionRequest, ChatRequestField, FunctionTool } from '../../openai/chat-request';
import type { ChatCompletion, FinishReason, ToolCall, Usage } from '../../openai/responses';
import type { ModelTarget, ReplyContext } from '../adapter';
import type { UpstreamRequest } from '../types';
import { RequestInvalid, UnsupportedParameter } from '../../../errors';
import { joinUpstreamUrl, resolveBaseUrl, buildJsonPost } from '../upstream-request';
import { UpstreamStreamError } from '../../upstream-stream-error';
import { isRecord } from '../json-value';
import { ANTHROPIC_DEFAULT_BASE_URL, ANTHROPIC_VERSION } from './api';
import { toAnthropicMessages } from './chat-messages';

// Anthropic requires max_tokens and OpenAI does not: a client that sends neither expects "as long as
// the model likes", so this is a generous ceiling every current Claude model accepts as output.
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;
// Anthropic's metadata.user_id limit.
const MAX_USER_ID_LENGTH = 256;

/** Fields Anthropic has no equivalent for; a default value (n 1, penalty 0) asks for nothing and passes. */
const REFUSED: ReadonlyArray<{ field: ChatRequestField; when: (request: ChatCompletionRequest) => boolean; detail: string }> = [
  { field: 'n', when: (r) => (r.n ?? 1) > 1, detail: 'one choice per call' },
  { field: 'logprobs', when: (r) => r.logprobs === true, detail: 'no log probabilities' },
  { field: 'top_logprobs', when: (r) => r.top_logprobs != null, detail: 'no log probabilities' },
  { field: 'logit_bias', when: (r) => Object.keys(r.logit_bias ?? {}).length > 0, detail: 'no token biasing' },
  { field: 'presence_penalty', when: (r) => (r.presence_penalty ?? 0) !== 0, detail: 'no repetition penalties' },
  { field: 'frequency_penalty', when: (r) => (r.frequency_penalty ?? 0) !== 0, detail: 'no repetition penalties' },
  { field: 'seed', when: (r) => r.seed != null, detail: 'no seeded sampling' },
  { field: 'audio', when: (r) => r.audio != null, detail: 'text output only' },
  { field: 'modalities', when: (r) => r.modalities?.includes('audio') ?? false, detail: 'text output only' },
  { field: 'prediction', when: (r) => r.prediction != null, detail: 'no predicted outputs' },
  // Anthropic has no JSON mode; prompting for JSON would not give the guarantee the client asked for.
  { field: 'response_format', when: (r) => (r.response_format?.type ?? 'text') !== 'text', detail: 'no JSON mode or JSON schema output' },
  // Extended thinking would need the thinking blocks (and their signatures) replayed in later turns, which OpenAI clients cannot do.
  { field: 'reasoning_effort', when: (r) => r.reasoning_effort != null, detail: 'extended thinking is not mapped' },
  { field: 'verbosity', when: (r) => r.verbosity != null, detail: 'no verbosity control' },
  { field: 'web_search_options', when: (r) => r.web_search_options !== undefined, detail: 'web search is not mapped' },
  { field: 'functions', when: (r) => r.functions !== undefined, detail: 'legacy functions; send tools' },
  { field: 'function_call', when: (r) => r.function_call !== undefined, detail: 'legacy function_call; send tool_choice' },
];

function refuseUnsupported(request: ChatCompletionRequest): void {
  for (const { field, when, detail } of REFUSED) if (when(request)) throw new UnsupportedParameter(field, 'anthropic', detail);
  if ((request.temperature ?? 0) > 1) throw new UnsupportedParameter('temperature', 'anthropic', 'Anthropic takes 0 to 1');
}

function toAnthropicTool(tool: FunctionTool): Record<string, unknown> {
  const { name, description, parameters, strict } = tool.function;
  // Strict schemas promise arguments that always validate; Anthropic cannot promise that here.
  if (strict === true) throw new UnsupportedParameter('tools', 'anthropic', 'strict function schemas');
  return { name, ...(description !== undefined ? { description } : {}), input_schema: parameters ?? { type: 'object', properties: {} } };
}

function toAnthropicToolChoice(request: ChatCompletionRequest): Record<string, unknown> | undefined {
  const choice = request.tool_choice;
  if (!request.tools?.length) {
    // As OpenAI answers: naming or requiring a tool with none offered is an error; "none"/"auto" ask for nothing.
    if (choice === 'required' || typeof choice === 'object') throw new RequestInvalid('tool_choice: only allowed when tools are specified.', 'tool_choice');
    return undefined;
  }
  if (choice === 'none') return { type: 'none' };
  const mapped: Record<string, unknown> =
    choice === 'required' ? { type: 'any' } : typeof choice === 'object' ? { type: 'tool', name: choice.function.name } : { type: 'auto' };
  if (request.parallel_tool_calls === false) return { ...mapped, disable_parallel_tool_use: true };
  return choice === undefined ? undefined : mapped;
}

function toMetadata(request: ChatCompletionRequest): Record<string, unknown> | undefined {
  const userId = request.safety_identifier ?? request.user;
  if (userId === undefined || userId === '') return undefined;
  const field = request.safety_identifier !== undefined ? 'safety_identifier' : 'user';
  if (userId.length > MAX_USER_ID_LENGTH) throw new UnsupportedParameter(field, 'anthropic', `user ids up to ${MAX_USER_ID_LENGTH} characters`);
  return { user_id: userId };
}

/**
 * The Messages body. Dropped as harmless metadata: OpenAI's `metadata` (Anthropic's takes only a
 * user id), store, service_tier, prompt_cache_key, stream_options (the gateway handles usage).
 */
export function toAnthropicBody(request: ChatCompletionRequest, upstreamModel: string, stream: boolean): Record<string, unknown> {
  refuseUnsupported(request);
  const { system, messages } = toAnthropicMessages(request.messages);
  const stop = request.stop == null ? [] : typeof request.stop === 'string' ? [request.stop] : request.stop;
  const optional: Record<string, unknown> = {
    system: system ?? undefined,
    temperature: request.temperature ?? undefined,
    top_p: request.top_p ?? undefined,
    stop_sequences: stop.length > 0 ? stop : undefined,
    tools: request.tools?.length ? request.tools.map(toAnthropicTool) : undefined,
    tool_choice: toAnthropicToolChoice(request),
    metadata: toMetadata(request),
    stream: stream ? true : undefined,
  };
  const body: Record<string, unknown> = {
    model: upstreamModel,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    messages,
  };
  for (const [name, value] of Object.entries(optional)) if (value !== undefined) body[name] = value;
  return body;
}

export function toAnthropicRequest(request: ChatCompletionRequest, target: ModelTarget, stream: boolean): UpstreamRequest {
  const url = joinUpstreamUrl(resolveBaseUrl(target.account, ANTHROPIC_DEFAULT_BASE_URL), '/v1/messages');
  const headers = { 'anthropic-version': ANTHROPIC_VERSION, ...(stream ? { accept: 'text/event-stream' } : {}) };
  return buildJsonPost(url, toAnthropicBody(request, target.upstreamModel, stream), headers);
}

const STOP_REASONS: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  // pause_turn only follows server tools, which this adapter never enables; the turn did end.
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

export function toFinishReason(stopReason: unknown): FinishReason {
  return (typeof stopReason === 'string' ? STOP_REASONS[stopReason] : undefined) ?? 'stop';
}

function readCount(source: Record<string, unknown>, field: string): number {
  const value = source[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Anthropic's input_tokens leaves out cached tokens; OpenAI's prompt_tokens counts them, cache reads as cached_tokens. */
export function readPromptUsage(usage: Record<string, unknown>): { promptTokens: number; cachedTokens: number | null } {
  const cacheRead = usage.cache_read_input_tokens;
  return {
    promptTokens: readCount(usage, 'input_tokens') + readCount(usage, 'cache_read_input_tokens') + readCount(usage, 'cache_creation_input_tokens'),
    cachedTokens: typeof cacheRead === 'number' ? cacheRead : null,
  };
}

export function buildAnthropicUsage(prompt: { promptTokens: number; cachedTokens: number | null }, completionTokens: number): Usage {
  const usage: Usage = { prompt_tokens: prompt.promptTokens, completion_tokens: completionTokens, total_tokens: prompt.promptTokens + completionTokens };
  return prompt.cachedTokens === null ? usage : { ...usage, prompt_tokens_details: { cached_tokens: prompt.cachedTokens } };
}

/** Text blocks joined, tool_use blocks as tool calls; thinking and other blocks are not part of OpenAI's message. */
export function fromAnthropicResponse(body: unknown, reply: ReplyContext): ChatCompletion {
  if (!isRecord(body) || !Array.isArray(body.content)) throw new UpstreamStreamError('the upstream answered without content');
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of body.content) {
    if (!isRecord(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
    if (block.type === 'tool_use' && typeof block.id === 'string' && typeof block.name === 'string') {
      toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
    }
  }
  const usage = isRecord(body.usage) ? body.usage : {};
  return {
    id: typeof body.id === 'string' && body.id ? body.id : reply.id,
    object: 'chat.completion',
    created: reply.created,
    model: reply.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: texts.length > 0 || toolCalls.length === 0 ? texts.join('') : null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
        finish_reason: toFinishReason(body.stop_reason),
        logprobs: null,
      },
    ],
    usage: buildAnthropicUsage(readPromptUsage(usage), readCount(usage, 'output_tokens')),
  };
}
