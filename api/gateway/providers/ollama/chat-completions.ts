// Ollama's native chat call (POST /api/chat, not its /v1 shim): OpenAI's request to Ollama's body,
// sampling settings in `options`, and Ollama's one-shot answer back to a chat.completion.
// Message translation is in ./messages.ts; the NDJSON stream in ./chat-stream.ts.
import type { ChatCompletionRequest, ChatRequestField } from '../../openai/chat-request';
import { buildUsage, type ChatCompletion, type FinishReason, type ToolCall, type Usage } from '../../openai/responses';
import type { ModelTarget, ReplyContext } from '../adapter';
import type { UpstreamRequest } from '../types';
import { UnsupportedParameter } from '../../../errors';
import { UpstreamStreamError } from '../../upstream-stream-error';
import { buildJsonPost, joinUpstreamUrl, resolveBaseUrl } from '../upstream-request';
import { isRecord } from '../json-value';
import { OLLAMA_DEFAULT_BASE_URL } from './api';
import { toOllamaMessages } from './messages';

interface Refusal {
  field: ChatRequestField;
  refuses(request: ChatCompletionRequest): boolean;
  detail: string;
}

// Fields Ollama cannot honour: each is a 400 naming it, never silently dropped. Dropped on purpose as
// metadata: user, safety_identifier, prompt_cache_key, metadata, store, service_tier; stream and
// stream_options are the gateway's (Ollama always reports usage); a tool's `strict` flag (no equivalent).
const REFUSALS: readonly Refusal[] = [
  { field: 'n', refuses: (r) => (r.n ?? 1) > 1, detail: 'one choice per call' },
  { field: 'logprobs', refuses: (r) => r.logprobs === true, detail: 'no log probabilities' },
  { field: 'top_logprobs', refuses: (r) => (r.top_logprobs ?? 0) > 0, detail: 'no log probabilities' },
  { field: 'logit_bias', refuses: (r) => Object.keys(r.logit_bias ?? {}).length > 0, detail: 'no logit bias' },
  { field: 'audio', refuses: (r) => r.audio != null, detail: 'no audio output' },
  { field: 'modalities', refuses: (r) => (r.modalities ?? []).some((m) => m !== 'text'), detail: 'text output only' },
  { field: 'prediction', refuses: (r) => r.prediction != null, detail: 'no predicted outputs' },
  // Ollama's `think` depends on the model and its thinking text has no place in a chat.completion.
  { field: 'reasoning_effort', refuses: (r) => r.reasoning_effort != null, detail: 'no reasoning effort setting' },
  { field: 'verbosity', refuses: (r) => r.verbosity != null, detail: 'no verbosity setting' },
  { field: 'web_search_options', refuses: (r) => r.web_search_options !== undefined, detail: 'no web search' },
  { field: 'functions', refuses: (r) => r.functions !== undefined, detail: 'legacy functions; use tools' },
  { field: 'function_call', refuses: (r) => r.function_call !== undefined, detail: 'legacy functions; use tool_choice' },
  { field: 'parallel_tool_calls', refuses: (r) => r.parallel_tool_calls === false, detail: 'cannot limit the model to one tool call' },
  // Ollama has no tool_choice: the model always decides, which is exactly "auto".
  { field: 'tool_choice', refuses: (r) => r.tool_choice !== undefined && r.tool_choice !== 'auto', detail: 'only "auto"' },
];

function toOllamaFormat(format: ChatCompletionRequest['response_format']): 'json' | Record<string, unknown> | undefined {
  if (format?.type === 'json_object') return 'json';
  // Ollama constrains the output to the schema itself (structured outputs).
  if (format?.type === 'json_schema') return format.json_schema.schema ?? 'json';
  return undefined;
}

function toOllamaOptions(request: ChatCompletionRequest): Record<string, unknown> {
  const stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
  const candidates: Record<string, unknown> = {
    temperature: request.temperature,
    top_p: request.top_p,
    num_predict: request.max_completion_tokens ?? request.max_tokens,
    // Ollama's stop is always a list: a bare string is a 400 there.
    stop: stop && stop.length > 0 ? stop : null,
    seed: request.seed,
    presence_penalty: request.presence_penalty,
    frequency_penalty: request.frequency_penalty,
  };
  return Object.fromEntries(Object.entries(candidates).filter(([, value]) => value !== null && value !== undefined));
}

export function toOllamaRequest(request: ChatCompletionRequest, target: ModelTarget, stream: boolean): UpstreamRequest {
  for (const refusal of REFUSALS) {
    if (refusal.refuses(request)) throw new UnsupportedParameter(refusal.field, 'ollama', refusal.detail);
  }
  // Ollama streams unless told otherwise, so `stream` is always sent.
  const body: Record<string, unknown> = { model: target.upstreamModel, messages: toOllamaMessages(request.messages), stream };
  const options = toOllamaOptions(request);
  if (Object.keys(options).length > 0) body.options = options;
  const format = toOllamaFormat(request.response_format);
  if (format !== undefined) body.format = format;
  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map(({ function: fn }) => ({
      type: 'function',
      function: {
        name: fn.name,
        ...(fn.description !== undefined ? { description: fn.description } : {}),
        // OpenAI reads a missing schema as "no parameters"; say so explicitly.
        parameters: fn.parameters ?? { type: 'object', properties: {} },
      },
    }));
  }
  const url = joinUpstreamUrl(resolveBaseUrl(target.account, OLLAMA_DEFAULT_BASE_URL), '/api/chat');
  return buildJsonPost(url, body, stream ? { accept: 'application/x-ndjson' } : {});
}

/**
 * Ollama's tool calls as OpenAI's. Ollama gives no call ids (newer versions may): the gateway makes
 * `call_<n>`, n counting the calls of this answer, and tool results find their tool by that id later.
 */
export function fromOllamaToolCalls(value: unknown, firstIndex: number): ToolCall[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new UpstreamStreamError('the upstream sent tool calls that are not a list');
  return value.map((item: unknown, offset): ToolCall => {
    const fn = isRecord(item) ? item.function : undefined;
    if (!isRecord(item) || !isRecord(fn) || typeof fn.name !== 'string') throw new UpstreamStreamError('the upstream sent a malformed tool call');
    const args = typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {});
    const id = typeof item.id === 'string' && item.id !== '' ? item.id : `call_${firstIndex + offset}`;
    return { id, type: 'function', function: { name: fn.name, arguments: args } };
  });
}

/** Ollama says "stop" even after a tool call; OpenAI clients look for tool_calls. */
export function toFinishReason(doneReason: unknown, sawToolCalls: boolean): FinishReason {
  if (sawToolCalls) return 'tool_calls';
  return doneReason === 'length' ? 'length' : 'stop';
}

/** Ollama omits a count of zero. */
export function readOllamaUsage(body: Record<string, unknown>): Usage {
  const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  return buildUsage(count(body.prompt_eval_count), count(body.eval_count));
}

/** Ollama's created_at (RFC 3339) in Unix seconds, or the gateway's time when absent or unreadable. */
export function readCreated(value: unknown, fallback: number): number {
  const millis = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isFinite(millis) ? Math.floor(millis / 1000) : fallback;
}

export function fromOllamaResponse(body: unknown, reply: ReplyContext): ChatCompletion {
  if (!isRecord(body) || !isRecord(body.message)) throw new UpstreamStreamError('the upstream answered without a message');
  const toolCalls = fromOllamaToolCalls(body.message.tool_calls, 0);
  const text = typeof body.message.content === 'string' ? body.message.content : '';
  return {
    id: reply.id,
    object: 'chat.completion',
    created: readCreated(body.created_at, reply.created),
    model: reply.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          // OpenAI sends null content beside tool calls when the model said nothing.
          content: text === '' && toolCalls.length > 0 ? null : text,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: toFinishReason(body.done_reason, toolCalls.length > 0),
        logprobs: null,
      },
    ],
    usage: readOllamaUsage(body),
  };
}
