// The Anthropic adapter: OpenAI request -> Messages request, Messages answer and SSE stream -> OpenAI
// shapes, refusals of what Anthropic cannot honour, and round trips against the fake Anthropic upstream.
import { anthropicAdapter } from '@api/gateway/providers/anthropic';
import type { ModelTarget, ReplyContext, StreamTranslator } from '@api/gateway/providers/adapter';
import type { UpstreamRequest } from '@api/gateway/providers/types';
import { chatCompletionRequest, type ChatCompletionRequest } from '@api/gateway/openai/chat-request';
import type { ChatCompletionChunk } from '@api/gateway/openai/responses';
import { UpstreamStreamError } from '@api/gateway/upstream-stream-error';
import { buildFakeAccount } from '@tests/fixtures/fake-upstream/accounts';
import { FAKE_TOOL_ARGUMENTS, FAKE_TOOL_CALL_ID } from '@tests/fixtures/fake-upstream/chat-script';
import { sendSigned, useFakeUpstream } from '@tests/fixtures/provider-round-trip';

const TARGET: ModelTarget = { account: { type: 'anthropic', baseUrl: null, region: null, apiVersion: null }, upstreamModel: 'claude-test' };
const REPLY: ReplyContext = { model: 'anthropic-main/claude', id: 'chatcmpl-gateway01', created: 1_700_000_123 };
const WEATHER_TOOL = { type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } } as const;
const WEATHER_SCHEMA = { name: 'get_weather', description: 'Weather for a city', input_schema: WEATHER_TOOL.function.parameters };
const PNG = 'data:image/png;base64,iVBORw0KGgo=';

/** A request as the gateway hands it over: validated by the same schema first. */
function chat(fields: Record<string, unknown>): ChatCompletionRequest {
  return chatCompletionRequest.parse({ model: 'anthropic-main/claude', messages: [{ role: 'user', content: 'hi' }], ...fields });
}

function buildBody(fields: Record<string, unknown>, stream = false): unknown {
  return JSON.parse(anthropicAdapter.buildChatRequest(chat(fields), TARGET, { stream }).body ?? 'null');
}

const user = (text: string) => ({ role: 'user', content: [{ type: 'text', text }] });
const BASE = { model: 'claude-test', max_tokens: 4096 };

describe('anthropic request', () => {
  it('posts to /v1/messages with the API version and JSON headers, and no credential', () => {
    const built = anthropicAdapter.buildChatRequest(chat({}), TARGET, { stream: false });
    expect(built).toMatchObject({ method: 'POST', url: 'https://api.anthropic.com/v1/messages' });
    expect(built.headers).toEqual({ 'content-type': 'application/json', accept: 'application/json', 'anthropic-version': '2023-06-01' });
  });

  it('asks for SSE and sets stream:true when streaming, under the account base URL', () => {
    const target = { ...TARGET, account: { ...TARGET.account, baseUrl: 'https://proxy.example/anthropic/' } };
    const built = anthropicAdapter.buildChatRequest(chat({}), target, { stream: true });
    expect(built.url).toBe('https://proxy.example/anthropic/v1/messages');
    expect(built.headers.accept).toBe('text/event-stream');
    expect(JSON.parse(built.body ?? '')).toEqual({ ...BASE, messages: [user('hi')], stream: true });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['a single user message, with the default max_tokens', {}, { ...BASE, messages: [user('hi')] }],
    [
      'system and developer messages as one top-level system prompt',
      { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'developer', content: [{ type: 'text', text: 'Use' }, { type: 'text', text: 'French.' }] }, { role: 'user', content: 'hi' }] },
      { ...BASE, system: 'Be brief.\n\nUse\nFrench.', messages: [user('hi')] },
    ],
    [
      'a multi-turn conversation',
      { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'Hello!' }, { role: 'user', content: 'how are you?' }] },
      { ...BASE, messages: [user('hi'), { role: 'assistant', content: [{ type: 'text', text: 'Hello!' }] }, user('how are you?')] },
    ],
    [
      'consecutive user messages merged into one turn, empty text left out',
      { messages: [{ role: 'user', content: 'one' }, { role: 'user', content: [{ type: 'text', text: '' }, { type: 'text', text: 'two' }] }] },
      { ...BASE, messages: [{ role: 'user', content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }] }] },
    ],
    ['max_completion_tokens over max_tokens', { max_tokens: 50, max_completion_tokens: 100 }, { ...BASE, max_tokens: 100, messages: [user('hi')] }],
    ['max_tokens', { max_tokens: 50 }, { ...BASE, max_tokens: 50, messages: [user('hi')] }],
    [
      'temperature, top_p and a stop string',
      { temperature: 0.7, top_p: 0.9, stop: 'END' },
      { ...BASE, messages: [user('hi')], temperature: 0.7, top_p: 0.9, stop_sequences: ['END'] },
    ],
    ['stop sequences', { stop: ['A', 'B'] }, { ...BASE, messages: [user('hi')], stop_sequences: ['A', 'B'] }],
    ['tools, with no tool_choice', { tools: [WEATHER_TOOL] }, { ...BASE, messages: [user('hi')], tools: [WEATHER_SCHEMA] }],
    [
      'a tool without description or parameters',
      { tools: [{ type: 'function', function: { name: 'now', strict: false } }] },
      { ...BASE, messages: [user('hi')], tools: [{ name: 'now', input_schema: { type: 'object', properties: {} } }] },
    ],
    ['tool_choice auto', { tools: [WEATHER_TOOL], tool_choice: 'auto' }, { ...BASE, messages: [user('hi')], tools: [WEATHER_SCHEMA], tool_choice: { type: 'auto' } }],
    ['tool_choice required', { tools: [WEATHER_TOOL], tool_choice: 'required' }, { ...BASE, messages: [user('hi')], tools: [WEATHER_SCHEMA], tool_choice: { type: 'any' } }],
    ['tool_choice none', { tools: [WEATHER_TOOL], tool_choice: 'none', parallel_tool_calls: false }, { ...BASE, messages: [user('hi')], tools: [WEATHER_SCHEMA], tool_choice: { type: 'none' } }],
    [
      'a named tool_choice',
      { tools: [WEATHER_TOOL], tool_choice: { type: 'function', function: { name: 'get_weather' } } },
      { ...BASE, messages: [user('hi')], tools: [WEATHER_SCHEMA], tool_choice: { type: 'tool', name: 'get_weather' } },
    ],
    [
      'parallel_tool_calls false with no tool_choice',
      { tools: [WEATHER_TOOL], parallel_tool_calls: false },
      { ...BASE, messages: [user('hi')], tools: [WEATHER_SCHEMA], tool_choice: { type: 'auto', disable_parallel_tool_use: true } },
    ],
    [
      'parallel_tool_calls false with tool_choice required',
      { tools: [WEATHER_TOOL], tool_choice: 'required', parallel_tool_calls: false },
      { ...BASE, messages: [user('hi')], tools: [WEATHER_SCHEMA], tool_choice: { type: 'any', disable_parallel_tool_use: true } },
    ],
    ['tool_choice none with no tools, left out', { tool_choice: 'none' }, { ...BASE, messages: [user('hi')] }],
    [
      'tool calls and their results, consecutive results merged with the next user words',
      {
        messages: [
          { role: 'user', content: 'weather?' },
          {
            role: 'assistant',
            content: 'Checking.',
            tool_calls: [
              { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
              { id: 'toolu_2', type: 'function', function: { name: 'now', arguments: '' } },
            ],
          },
          { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
          { role: 'tool', tool_call_id: 'toolu_2', content: [{ type: 'text', text: 'noon' }] },
          { role: 'user', content: 'thanks' },
        ],
      },
      {
        ...BASE,
        messages: [
          user('weather?'),
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Checking.' },
              { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
              { type: 'tool_use', id: 'toolu_2', name: 'now', input: {} },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' },
              { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: 'noon' }] },
              { type: 'text', text: 'thanks' },
            ],
          },
        ],
      },
    ],
    [
      'an assistant tool call with null content',
      { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c1', content: 'ok' }] },
      { ...BASE, messages: [user('hi'), { role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'f', input: {} }] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c1', content: 'ok' }] }] },
    ],
    [
      'an assistant refusal replayed as text',
      { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, refusal: 'I cannot.' }, { role: 'user', content: 'ok' }] },
      { ...BASE, messages: [user('hi'), { role: 'assistant', content: [{ type: 'text', text: 'I cannot.' }] }, user('ok')] },
    ],
    [
      'images (data: and https URLs) and a PDF file',
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'look' },
              { type: 'image_url', image_url: { url: PNG, detail: 'high' } },
              { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
              { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
            ],
          },
        ],
      },
      {
        ...BASE,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'look' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
              { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
              { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' }, title: 'a.pdf' },
            ],
          },
        ],
      },
    ],
    ['user as metadata.user_id', { user: 'user-123' }, { ...BASE, messages: [user('hi')], metadata: { user_id: 'user-123' } }],
    ['safety_identifier over user', { user: 'u', safety_identifier: 'hash-9' }, { ...BASE, messages: [user('hi')], metadata: { user_id: 'hash-9' } }],
    [
      'harmless metadata and default values dropped',
      { metadata: { a: 'b' }, store: true, service_tier: 'auto', prompt_cache_key: 'k', stream_options: { include_usage: true }, n: 1, presence_penalty: 0, frequency_penalty: 0, logprobs: false, response_format: { type: 'text' }, modalities: ['text'], logit_bias: {} },
      { ...BASE, messages: [user('hi')] },
    ],
  ])('translates %s', (_name, fields, expected) => {
    expect(buildBody(fields)).toEqual(expected);
  });

  it.each<[string, string, Record<string, unknown>]>([
    ['n', 'n', { n: 2 }],
    ['logprobs', 'logprobs', { logprobs: true }],
    ['top_logprobs', 'top_logprobs', { top_logprobs: 2 }],
    ['logit_bias', 'logit_bias', { logit_bias: { '50256': -100 } }],
    ['presence_penalty', 'presence_penalty', { presence_penalty: 0.5 }],
    ['frequency_penalty', 'frequency_penalty', { frequency_penalty: -0.5 }],
    ['seed', 'seed', { seed: 42 }],
    ['audio', 'audio', { audio: { voice: 'alloy', format: 'mp3' } }],
    ['modalities', 'modalities', { modalities: ['text', 'audio'] }],
    ['prediction', 'prediction', { prediction: { type: 'content', content: 'x' } }],
    ['json_object output', 'response_format', { response_format: { type: 'json_object' } }],
    ['json_schema output', 'response_format', { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } } }],
    ['reasoning_effort', 'reasoning_effort', { reasoning_effort: 'high' }],
    ['verbosity', 'verbosity', { verbosity: 'low' }],
    ['web_search_options', 'web_search_options', { web_search_options: {} }],
    ['functions', 'functions', { functions: [{ name: 'f' }] }],
    ['function_call', 'function_call', { function_call: 'auto' }],
    ['temperature above 1', 'temperature', { temperature: 1.5 }],
    ['a strict tool schema', 'tools', { tools: [{ type: 'function', function: { name: 'f', strict: true } }] }],
    ['a user id over 256 characters', 'user', { user: 'u'.repeat(257) }],
    ['audio input', 'messages', { messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }] }],
    ['an ftp image URL', 'messages', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://example.com/a.png' } }] }] }],
    ['a BMP image', 'messages', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/bmp;base64,Qk0=' } }] }] }],
    ['an OpenAI file id', 'messages', { messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-abc' } }] }] }],
    ['a legacy function message', 'messages', { messages: [{ role: 'user', content: 'hi' }, { role: 'function', name: 'f', content: 'x' }] }],
    ['a legacy assistant function_call', 'messages', { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } }] }],
  ])('refuses %s with UnsupportedParameter naming %s', (_name, param, fields) => {
    expect(() => buildBody(fields)).toThrow(expect.objectContaining({ code: 'ERR_GATEWAY_UNSUPPORTED_PARAMETER', status: 400, param }));
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['tool call arguments that are not JSON', { messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{city:' } }] }] }, 'messages'],
    ['tool call arguments that are not an object', { messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '[1]' } }] }] }, 'messages'],
    ['a required tool_choice with no tools', { tool_choice: 'required' }, 'tool_choice'],
  ])('rejects %s as an invalid request', (_name, fields, param) => {
    expect(() => buildBody(fields)).toThrow(expect.objectContaining({ code: 'ERR_VALIDATION', status: 400, param }));
  });

  it('refuses embeddings: Anthropic has no embeddings API', () => {
    expect(() => anthropicAdapter.buildEmbeddingsRequest({ model: 'claude', input: 'hi' }, TARGET)).toThrow(
      expect.objectContaining({ code: 'ERR_GATEWAY_UNSUPPORTED_PARAMETER', status: 400, param: 'model', message: 'model: not supported by anthropic (no embeddings API).' }),
    );
  });
});

const USAGE = { input_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 5 };

function message(content: unknown[], stopReason: string | null, usage: Record<string, number> = USAGE): Record<string, unknown> {
  return { id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-test', content, stop_reason: stopReason, stop_sequence: null, usage };
}

function completion(messageFields: Record<string, unknown>, finish: string, usage: Record<string, unknown> = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 0 } }) {
  return {
    id: 'msg_01',
    object: 'chat.completion',
    created: REPLY.created,
    model: REPLY.model,
    choices: [{ index: 0, message: { role: 'assistant', ...messageFields }, finish_reason: finish, logprobs: null }],
    usage,
  };
}

describe('anthropic response', () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    ['text blocks joined', message([{ type: 'text', text: 'Hello ' }, { type: 'text', text: 'there.' }], 'end_turn'), completion({ content: 'Hello there.' }, 'stop')],
    [
      'a tool call after text',
      message([{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }], 'tool_use'),
      completion({ content: 'Let me check.', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }, 'tool_calls'),
    ],
    [
      'a tool call alone (content null)',
      message([{ type: 'tool_use', id: 'toolu_1', name: 'now', input: {} }], 'tool_use'),
      completion({ content: null, tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'now', arguments: '{}' } }] }, 'tool_calls'),
    ],
    [
      'cache reads and writes counted in prompt_tokens',
      message([{ type: 'text', text: 'ok' }], 'end_turn', { input_tokens: 10, cache_creation_input_tokens: 20, cache_read_input_tokens: 30, output_tokens: 5 }),
      completion({ content: 'ok' }, 'stop', { prompt_tokens: 60, completion_tokens: 5, total_tokens: 65, prompt_tokens_details: { cached_tokens: 30 } }),
    ],
    [
      'usage without cache fields, no id (the gateway id is used)',
      { ...message([{ type: 'text', text: 'ok' }], 'end_turn', { input_tokens: 3, output_tokens: 2 }), id: undefined },
      { ...completion({ content: 'ok' }, 'stop', { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }), id: REPLY.id },
    ],
  ])('translates %s', (_name, body, expected) => {
    expect(anthropicAdapter.parseChatResponse(body, REPLY)).toEqual(expected);
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'stop'],
    ['model_context_window_exceeded', 'length'],
  ])('maps stop_reason %s to finish_reason %s', (stopReason, finish) => {
    expect(anthropicAdapter.parseChatResponse(message([{ type: 'text', text: 'x' }], stopReason), REPLY).choices[0]?.finish_reason).toBe(finish);
  });

  it('fails on a body that is not a message', () => {
    expect(() => anthropicAdapter.parseChatResponse({ type: 'error' }, REPLY)).toThrow(UpstreamStreamError);
  });
});

const sse = (event: string, data: Record<string, unknown>) => `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`;
const START = sse('message_start', { message: { id: 'msg_s1', type: 'message', role: 'assistant', model: 'claude-test', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 4, output_tokens: 1 } } });
const TEXT_STREAM = [
  START,
  sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  sse('ping', {}),
  sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Héllo' } }),
  sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: ' 👋' } }),
  sse('content_block_stop', { index: 0 }),
  sse('message_delta', { delta: { stop_reason: 'max_tokens', stop_sequence: null }, usage: { output_tokens: 7 } }),
  sse('message_stop', {}),
].join('');
const TOOL_STREAM = [
  START,
  sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Checking.' } }),
  sse('content_block_stop', { index: 0 }),
  sse('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: {} } }),
  sse('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '' } }),
  sse('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"city":' } }),
  sse('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '"Paris"}' } }),
  sse('content_block_stop', { index: 1 }),
  sse('content_block_start', { index: 2, content_block: { type: 'tool_use', id: 'toolu_b', name: 'now', input: {} } }),
  sse('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '{}' } }),
  sse('content_block_stop', { index: 2 }),
  sse('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 30 } }),
  sse('message_stop', {}),
].join('');

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: 'msg_s1',
  object: 'chat.completion.chunk',
  created: REPLY.created,
  model: REPLY.model,
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
});

function translateStream(text: string, byteByByte = false): { chunks: ChatCompletionChunk[]; translator: StreamTranslator } {
  const translator = anthropicAdapter.createStreamTranslator(REPLY);
  const bytes = new TextEncoder().encode(text);
  const chunks: ChatCompletionChunk[] = [];
  if (byteByByte) for (let i = 0; i < bytes.length; i += 1) chunks.push(...translator.push(bytes.subarray(i, i + 1)));
  else chunks.push(...translator.push(bytes));
  chunks.push(...translator.finish());
  return { chunks, translator };
}

describe('anthropic stream', () => {
  it.each<[string, string, unknown[], unknown]>([
    [
      'text deltas and a max_tokens stop',
      TEXT_STREAM,
      [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Héllo' }), chunk({ content: ' 👋' }), chunk({}, 'length')],
      { prompt_tokens: 16, completion_tokens: 7, total_tokens: 23, prompt_tokens_details: { cached_tokens: 4 } },
    ],
    [
      'text then two tool calls, numbered from 0',
      TOOL_STREAM,
      [
        chunk({ role: 'assistant', content: '' }),
        chunk({ content: 'Checking.' }),
        chunk({ tool_calls: [{ index: 0, id: 'toolu_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
        chunk({ tool_calls: [{ index: 1, id: 'toolu_b', type: 'function', function: { name: 'now', arguments: '' } }] }),
        chunk({ tool_calls: [{ index: 1, function: { arguments: '{}' } }] }),
        chunk({}, 'tool_calls'),
      ],
      { prompt_tokens: 16, completion_tokens: 30, total_tokens: 46, prompt_tokens_details: { cached_tokens: 4 } },
    ],
  ])('translates %s, the same when fed one byte at a time', (_name, text, expected, usage) => {
    const whole = translateStream(text);
    expect(whole.chunks).toEqual(expected);
    expect(whole.translator.usage).toEqual(usage);
    const split = translateStream(text, true);
    expect(split.chunks).toEqual(expected);
    expect(split.translator.usage).toEqual(usage);
  });

  it('never emits a usage-only chunk', () => {
    expect(translateStream(TOOL_STREAM).chunks.every((c) => c.usage === undefined && c.choices.length === 1)).toBe(true);
  });

  it('throws the error event as UpstreamStreamError with its message and status', () => {
    const translator = anthropicAdapter.createStreamTranslator(REPLY);
    const encode = (text: string) => new TextEncoder().encode(text);
    expect(translator.push(encode(START))).toHaveLength(1);
    const error = 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
    expect(() => translator.push(encode(error))).toThrow(expect.objectContaining({ name: 'UpstreamStreamError', message: 'Overloaded', status: 529 }));
  });

  it.each([
    ['before message_stop', TEXT_STREAM.slice(0, TEXT_STREAM.indexOf('event: message_stop'))],
    ['with nothing', ''],
  ])('throws from finish() when the body ends %s', (_name, text) => {
    const translator = anthropicAdapter.createStreamTranslator(REPLY);
    translator.push(new TextEncoder().encode(text));
    expect(() => translator.finish()).toThrow(new UpstreamStreamError('the upstream stream ended before it was complete'));
  });

  it('throws on an event that is not JSON', () => {
    const translator = anthropicAdapter.createStreamTranslator(REPLY);
    expect(() => translator.push(new TextEncoder().encode('event: message_start\ndata: {oops\n\n'))).toThrow(UpstreamStreamError);
  });
});

describe('anthropic round trip against the fake upstream', () => {
  const { fake, dispatcher } = useFakeUpstream();
  let target: ModelTarget;

  beforeAll(() => {
    target = { account: buildFakeAccount('anthropic', fake.url), upstreamModel: 'claude-test' };
  });

  const call = (built: UpstreamRequest) => sendSigned(target.account, built, dispatcher);

  const TOOL_TURN = [
    { role: 'user', content: 'weather?' },
    { role: 'assistant', content: null, tool_calls: [{ id: FAKE_TOOL_CALL_ID, type: 'function', function: { name: 'get_weather', arguments: FAKE_TOOL_ARGUMENTS } }] },
    { role: 'tool', tool_call_id: FAKE_TOOL_CALL_ID, content: 'sunny' },
    { role: 'user', content: 'hi' },
  ];

  it('answers a JSON chat with the echo text and usage', async () => {
    const answer = await call(anthropicAdapter.buildChatRequest(chat({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }] }), target, { stream: false }));
    expect(answer.status).toBe(200);
    expect(anthropicAdapter.parseChatResponse(JSON.parse(answer.text), REPLY)).toEqual({
      ...completion({ content: 'Echo claude-test: hi' }, 'stop', { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6, prompt_tokens_details: { cached_tokens: 0 } }),
      id: 'msg_fake0001',
    });
    expect(fake.requests.at(-1)?.provider).toBe('anthropic');
  });

  it('answers a JSON tool call, and accepts the tool result turn after it', async () => {
    const first = await call(anthropicAdapter.buildChatRequest(chat({ tools: [WEATHER_TOOL], tool_choice: 'auto' }), target, { stream: false }));
    expect(anthropicAdapter.parseChatResponse(JSON.parse(first.text), REPLY).choices[0]).toMatchObject({
      message: { content: null, tool_calls: [{ id: FAKE_TOOL_CALL_ID, type: 'function', function: { name: 'get_weather', arguments: FAKE_TOOL_ARGUMENTS } }] },
      finish_reason: 'tool_calls',
    });
    const second = await call(anthropicAdapter.buildChatRequest(chat({ tools: [WEATHER_TOOL], messages: TOOL_TURN }), target, { stream: false }));
    expect(second.status).toBe(200);
    expect(anthropicAdapter.parseChatResponse(JSON.parse(second.text), REPLY).choices[0]?.message.content).toBe('Echo claude-test: hi');
  });

  async function streamChat(fields: Record<string, unknown>): Promise<{ chunks: ChatCompletionChunk[]; translator: StreamTranslator; cutOff: boolean }> {
    const answer = await call(anthropicAdapter.buildChatRequest(chat(fields), target, { stream: true }));
    expect(answer.status).toBe(200);
    const translator = anthropicAdapter.createStreamTranslator(REPLY);
    const chunks = answer.pieces.flatMap((piece) => translator.push(piece));
    return { chunks: [...chunks, ...translator.finish()], translator, cutOff: answer.cutOff };
  }

  it('streams the echo text with usage recorded aside', async () => {
    const { chunks, translator } = await streamChat({});
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Echo claude-test: hi');
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.at(-1)?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(translator.usage).toEqual({ prompt_tokens: 1, completion_tokens: 3, total_tokens: 4, prompt_tokens_details: { cached_tokens: 0 } });
  });

  it('streams a tool call', async () => {
    const { chunks } = await streamChat({ tools: [WEATHER_TOOL] });
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]).toEqual({ index: 0, id: FAKE_TOOL_CALL_ID, type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(deltas.map((d) => d.function?.arguments ?? '').join('')).toBe(FAKE_TOOL_ARGUMENTS);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it("turns the upstream's in-stream error event into UpstreamStreamError", async () => {
    fake.setMode({ kind: 'error-mid-stream', afterChunks: 3 });
    await expect(streamChat({})).rejects.toThrow(expect.objectContaining({ name: 'UpstreamStreamError', message: 'Overloaded' }));
  });

  it('fails a stream cut off mid-way at finish()', async () => {
    fake.setMode({ kind: 'reset-mid-stream', afterChunks: 3 });
    await expect(streamChat({})).rejects.toThrow(new UpstreamStreamError('the upstream stream ended before it was complete'));
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a missing max_tokens', { model: 'claude-test', messages: [user('hi')] }, 'max_tokens: Field required'],
    ['an OpenAI-only field', { ...BASE, messages: [user('hi')], n: 1 }, 'n: Extra inputs are not permitted'],
    ['a first assistant turn', { ...BASE, messages: [{ role: 'assistant', content: 'x' }, user('hi')] }, 'first message must use the "user" role'],
    ['two user turns in a row', { ...BASE, messages: [user('a'), user('b')] }, 'roles must alternate'],
    ['an empty text block', { ...BASE, messages: [user('')] }, 'text content blocks must be non-empty'],
    ['a tool result with no tool call before it', { ...BASE, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'x', content: 'y' }] }] }, 'unexpected `tool_use_id`'],
    ['temperature above 1', { ...BASE, messages: [user('hi')], temperature: 1.5 }, 'temperature: Input should be less than or equal to 1'],
  ])('the fake refuses %s in Anthropic\'s error shape', async (_name, body, message) => {
    const built: UpstreamRequest = { method: 'POST', url: `${fake.url}/v1/messages`, headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify(body) };
    const answer = await call(built);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining(message) }, request_id: expect.any(String) });
  });
});
