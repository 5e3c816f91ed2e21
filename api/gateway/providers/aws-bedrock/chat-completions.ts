// Bedrock's Converse call: OpenAI parameters to inferenceConfig/toolConfig (messages are
// converse-messages.ts's), and Converse's answer back as an OpenAI chat.completion. No auth here:
// signBedrockRequest signs the finished URL and body later.
import type { ChatCompletionRequest, ChatRequestField } from '../../openai/chat-request';
import type { ChatCompletion, FinishReason, ToolCall, Usage } from '../../openai/responses';
import type { ModelTarget, ReplyContext } from '../adapter';
import type { UpstreamRequest } from '../types';
import { UnsupportedParameter } from '../../../errors';
import { UpstreamStreamError } from '../../upstream-stream-error';
import { buildJsonPost, joinUpstreamUrl } from '../upstream-request';
import { isRecord } from '../json-value';
import { resolveBedrockRuntimeUrl } from './api';
import { toConverseConversation } from './converse-messages';

const PROVIDER = 'aws-bedrock';
export const BEDROCK_EVENT_STREAM_TYPE = 'application/vnd.amazon.eventstream';

// Fields Converse cannot honour. user, metadata, store, service_tier, safety_identifier and
// prompt_cache_key are caller metadata with no effect on the answer: dropped. stream_options is the gateway's.
const UNSUPPORTED: ReadonlyArray<{ field: ChatRequestField; detail: string; refuses(request: ChatCompletionRequest): boolean }> = [
  { field: 'n', detail: 'Converse returns one choice', refuses: (r) => (r.n ?? 1) > 1 },
  { field: 'logprobs', detail: 'Converse returns no log probabilities', refuses: (r) => r.logprobs === true },
  { field: 'top_logprobs', detail: 'Converse returns no log probabilities', refuses: (r) => r.top_logprobs != null },
  { field: 'logit_bias', detail: 'Converse has no logit bias', refuses: (r) => Object.keys(r.logit_bias ?? {}).length > 0 },
  // 0 is "no penalty", which is what Converse does anyway.
  { field: 'presence_penalty', detail: 'Converse has no penalties', refuses: (r) => (r.presence_penalty ?? 0) !== 0 },
  { field: 'frequency_penalty', detail: 'Converse has no penalties', refuses: (r) => (r.frequency_penalty ?? 0) !== 0 },
  { field: 'seed', detail: 'Converse has no seed', refuses: (r) => r.seed != null },
  { field: 'temperature', detail: 'Converse takes a temperature from 0 to 1', refuses: (r) => (r.temperature ?? 0) > 1 },
  { field: 'response_format', detail: 'Converse has no JSON mode', refuses: (r) => r.response_format !== undefined && r.response_format.type !== 'text' },
  { field: 'audio', detail: 'Converse has no audio output', refuses: (r) => r.audio != null },
  { field: 'modalities', detail: 'Converse has no audio output', refuses: (r) => (r.modalities ?? []).includes('audio') },
  { field: 'prediction', detail: 'Converse has no predicted outputs', refuses: (r) => r.prediction != null },
  { field: 'reasoning_effort', detail: 'reasoning settings are model-specific on Bedrock', refuses: (r) => r.reasoning_effort != null },
  { field: 'verbosity', detail: 'Converse has no verbosity setting', refuses: (r) => r.verbosity != null },
  { field: 'web_search_options', detail: 'Converse has no web search', refuses: (r) => r.web_search_options !== undefined },
  { field: 'functions', detail: 'legacy functions; use tools', refuses: (r) => r.functions !== undefined },
  { field: 'function_call', detail: 'legacy function_call; use tool_choice', refuses: (r) => r.function_call !== undefined },
  { field: 'parallel_tool_calls', detail: 'Converse cannot turn off parallel tool calls', refuses: (r) => r.parallel_tool_calls === false },
];

function refuseUnsupported(request: ChatCompletionRequest): void {
  for (const rule of UNSUPPORTED) if (rule.refuses(request)) throw new UnsupportedParameter(rule.field, PROVIDER, rule.detail);
}

function toInferenceConfig(request: ChatCompletionRequest): Record<string, unknown> | null {
  const config: Record<string, unknown> = {};
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) config.maxTokens = maxTokens;
  if (request.temperature != null) config.temperature = request.temperature;
  if (request.top_p != null) config.topP = request.top_p;
  const stop = typeof request.stop === 'string' ? [request.stop] : (request.stop ?? []);
  if (stop.length > 0) config.stopSequences = stop;
  return Object.keys(config).length > 0 ? config : null;
}

function toToolChoice(choice: ChatCompletionRequest['tool_choice']): Record<string, unknown> | null {
  if (choice === undefined) return null;
  if (choice === 'auto') return { auto: {} };
  if (choice === 'required') return { any: {} };
  // Converse has no "none": dropping the tools instead would break turns that carry toolUse blocks.
  if (choice === 'none') throw new UnsupportedParameter('tool_choice', PROVIDER, "Converse has no 'none'; send the request without tools");
  return { tool: { name: choice.function.name } };
}

function toToolConfig(request: ChatCompletionRequest): Record<string, unknown> | null {
  const tools = request.tools ?? [];
  if (tools.length === 0) {
    if (request.tool_choice === 'required' || typeof request.tool_choice === 'object') {
      throw new UnsupportedParameter('tool_choice', PROVIDER, 'a tool choice needs tools');
    }
    return null;
  }
  const specs = tools.map(({ function: fn }, index) => {
    // Converse does not promise schema-exact arguments; passing strict on silently would lie to the caller.
    if (fn.strict === true) throw new UnsupportedParameter(`tools[${index}].function.strict`, PROVIDER, 'Converse has no strict tool schemas');
    return {
      toolSpec: {
        name: fn.name,
        ...(fn.description === undefined ? {} : { description: fn.description }),
        inputSchema: { json: fn.parameters ?? { type: 'object', properties: {} } },
      },
    };
  });
  const toolChoice = toToolChoice(request.tool_choice);
  return { tools: specs, ...(toolChoice === null ? {} : { toolChoice }) };
}

export function toBedrockRequest(request: ChatCompletionRequest, target: ModelTarget, stream: boolean): UpstreamRequest {
  refuseUnsupported(request);
  const { system, messages } = toConverseConversation(request.messages);
  const inferenceConfig = toInferenceConfig(request);
  const toolConfig = toToolConfig(request);
  const body = {
    messages,
    ...(system.length > 0 ? { system } : {}),
    ...(inferenceConfig ? { inferenceConfig } : {}),
    ...(toolConfig ? { toolConfig } : {}),
  };
  // Model ids carry ':' (…-v1:0) and ARNs '/': one encoded path segment, which SigV4 then encodes again.
  const path = `/model/${encodeURIComponent(target.upstreamModel)}/${stream ? 'converse-stream' : 'converse'}`;
  const url = joinUpstreamUrl(resolveBedrockRuntimeUrl(target.account), path);
  return buildJsonPost(url, body, stream ? { accept: BEDROCK_EVENT_STREAM_TYPE } : {});
}

const STOP_REASONS: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  guardrail_intervened: 'content_filter',
  content_filtered: 'content_filter',
};

export function toFinishReason(stopReason: unknown): FinishReason {
  return (typeof stopReason === 'string' ? STOP_REASONS[stopReason] : undefined) ?? 'stop';
}

/** Converse's {inputTokens, outputTokens, totalTokens}; null when absent. */
export function readBedrockUsage(value: unknown): Usage | null {
  if (!isRecord(value) || typeof value.inputTokens !== 'number' || typeof value.outputTokens !== 'number') return null;
  const total = typeof value.totalTokens === 'number' ? value.totalTokens : value.inputTokens + value.outputTokens;
  return { prompt_tokens: value.inputTokens, completion_tokens: value.outputTokens, total_tokens: total };
}

function toToolCall(block: Record<string, unknown>): ToolCall | null {
  const toolUse = block.toolUse;
  if (!isRecord(toolUse) || typeof toolUse.toolUseId !== 'string' || typeof toolUse.name !== 'string') return null;
  return { id: toolUse.toolUseId, type: 'function', function: { name: toolUse.name, arguments: JSON.stringify(toolUse.input ?? {}) } };
}

/** Reasoning and other non-text, non-toolUse blocks have no place in a chat.completion message: skipped. */
export function fromBedrockResponse(body: unknown, reply: ReplyContext): ChatCompletion {
  const message = isRecord(body) && isRecord(body.output) ? body.output.message : undefined;
  if (!isRecord(body) || !isRecord(message) || !Array.isArray(message.content)) {
    throw new UpstreamStreamError('the upstream answered without output.message');
  }
  const blocks = message.content.filter(isRecord);
  const texts = blocks.flatMap((block) => (typeof block.text === 'string' ? [block.text] : []));
  const toolCalls = blocks.flatMap((block) => toToolCall(block) ?? []);
  const usage = readBedrockUsage(body.usage);
  return {
    id: reply.id,
    object: 'chat.completion',
    created: reply.created,
    model: reply.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: texts.length > 0 ? texts.join('') : null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
        finish_reason: toFinishReason(body.stopReason),
        logprobs: null,
      },
    ],
    ...(usage ? { usage } : {}),
  };
}
