// The OpenAI adapter, shared by openai and openai-compatible: the request passes through pointed at the
// account (upstream model, forced stream usage), answers and SSE streams come back relabelled with the
// client's model, and round trips run against the fake OpenAI upstream (served under /v1 and /compat/v1).
import { openAiAdapter } from '@api/gateway/providers/openai';
import { openAiCompatibleAdapter } from '@api/gateway/providers/openai-compatible';
import type { ModelTarget, ProviderAdapter, ReplyContext, StreamTranslator } from '@api/gateway/providers/adapter';
import type { UpstreamAccount, UpstreamRequest } from '@api/gateway/providers/types';
import { chatCompletionRequest, type ChatCompletionRequest } from '@api/gateway/openai/chat-request';
import { embeddingsRequest, type EmbeddingsRequest } from '@api/gateway/openai/embeddings-request';
import type { ChatCompletionChunk } from '@api/gateway/openai/responses';
import { UpstreamStreamError } from '@api/gateway/upstream-stream-error';
import { GOOD_KEYS, buildFakeAccount } from '@tests/fixtures/fake-upstream/accounts';
import { FAKE_TOOL_ARGUMENTS, FAKE_TOOL_CALL_ID, fakeEmbedding } from '@tests/fixtures/fake-upstream/chat-script';
import { sendSigned, useFakeUpstream } from '@tests/fixtures/provider-round-trip';

type OpenAiType = 'openai' | 'openai-compatible';
const ADAPTERS: Record<OpenAiType, ProviderAdapter> = { openai: openAiAdapter, 'openai-compatible': openAiCompatibleAdapter };
const TYPES: OpenAiType[] = ['openai', 'openai-compatible'];

const REPLY: ReplyContext = { model: 'openai-main/gpt', id: 'chatcmpl-gateway01', created: 1_700_000_123 };
const UPSTREAM_MODEL = 'gpt-4o-2024-08-06';
const HI = [{ role: 'user', content: 'hi' }];
const WEATHER_TOOL = { type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true } };
const PNG = 'data:image/png;base64,iVBORw0KGgo=';

function account(type: OpenAiType, baseUrl: string | null = 'http://upstream.test/v1'): UpstreamAccount {
  return { type, baseUrl, region: null, apiVersion: null };
}

function target(type: OpenAiType, baseUrl?: string | null): ModelTarget {
  return { account: account(type, baseUrl), upstreamModel: UPSTREAM_MODEL };
}

/** A request as the gateway hands it over: validated by the same schema first. */
function chat(fields: Record<string, unknown>): ChatCompletionRequest {
  return chatCompletionRequest.parse({ model: REPLY.model, messages: HI, ...fields });
}

function embeddings(fields: Record<string, unknown>): EmbeddingsRequest {
  return embeddingsRequest.parse({ model: 'openai-main/embed', input: 'hello world', ...fields });
}

function buildBody(type: OpenAiType, fields: Record<string, unknown>, stream: boolean): unknown {
  return JSON.parse(ADAPTERS[type].buildChatRequest(chat(fields), target(type), { stream }).body ?? 'null');
}

describe.each(TYPES)('%s request', (type) => {
  const adapter = ADAPTERS[type];

  it('posts JSON to <base>/chat/completions with JSON headers and no credential', () => {
    const built = adapter.buildChatRequest(chat({}), target(type), { stream: false });
    expect(built).toEqual({
      method: 'POST',
      url: 'http://upstream.test/v1/chat/completions',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ model: UPSTREAM_MODEL, messages: HI }),
    });
  });

  it('asks for SSE when streaming, still with no credential', () => {
    const built = adapter.buildChatRequest(chat({}), target(type), { stream: true });
    expect(built.headers).toEqual({ 'content-type': 'application/json', accept: 'text/event-stream' });
    expect(built.body).not.toContain(GOOD_KEYS[type]);
  });

  it.each<[string, string, string, string]>([
    ['a /v1 base', 'http://x/v1', 'http://x/v1/chat/completions', 'http://x/v1/embeddings'],
    ['a base with trailing slashes', 'http://localhost:1234/v1//', 'http://localhost:1234/v1/chat/completions', 'http://localhost:1234/v1/embeddings'],
    ['a base under a longer path', 'https://openrouter.ai/api/v1', 'https://openrouter.ai/api/v1/chat/completions', 'https://openrouter.ai/api/v1/embeddings'],
    ['a base without a version (used as given)', 'http://vllm:8000', 'http://vllm:8000/chat/completions', 'http://vllm:8000/embeddings'],
    ['a base with spaces around it', '  https://proxy.example/openai/v1 ', 'https://proxy.example/openai/v1/chat/completions', 'https://proxy.example/openai/v1/embeddings'],
  ])('joins %s with the endpoint path', (_name, baseUrl, chatUrl, embeddingsUrl) => {
    expect(adapter.buildChatRequest(chat({}), target(type, baseUrl), { stream: true }).url).toBe(chatUrl);
    expect(adapter.buildEmbeddingsRequest(embeddings({}), target(type, baseUrl)).url).toBe(embeddingsUrl);
  });

  it.each<[string, string]>([
    ['an ftp URL', 'ftp://x/v1'],
    ['a URL with a user and password', 'http://user:pw@x/v1'],
    ['a URL with a query', 'http://x/v1?key=abc'],
    ['something that is not a URL', 'not a url'],
  ])('refuses %s as base URL with ProviderConfigInvalid', (_name, baseUrl) => {
    expect(() => adapter.buildChatRequest(chat({}), target(type, baseUrl), { stream: false })).toThrow(
      expect.objectContaining({ name: 'ProviderConfigInvalid', code: 'ERR_GATEWAY_PROVIDER_CONFIG_INVALID' }),
    );
    expect(() => adapter.buildEmbeddingsRequest(embeddings({}), target(type, baseUrl))).toThrow(expect.objectContaining({ name: 'ProviderConfigInvalid' }));
  });

  it.each<[string, Record<string, unknown>]>([
    ['sampling parameters', { temperature: 0.2, top_p: 0.5, n: 3, stop: ['a', 'b'], max_tokens: 10, max_completion_tokens: 20, presence_penalty: 0.5, frequency_penalty: -0.5, seed: 7 }],
    ['null sampling values', { temperature: null, top_p: null, n: null, stop: null, seed: null }],
    ['logprobs and logit_bias', { logprobs: true, top_logprobs: 5, logit_bias: { '50256': -100 } }],
    ['tools, a named tool_choice and parallel_tool_calls', { tools: [WEATHER_TOOL], tool_choice: { type: 'function', function: { name: 'get_weather' } }, parallel_tool_calls: false }],
    ['tool_choice required', { tools: [WEATHER_TOOL], tool_choice: 'required' }],
    ['legacy functions and function_call', { functions: [{ name: 'f', parameters: { type: 'object' } }], function_call: { name: 'f' } }],
    ['a json_schema response_format', { response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } } }],
    ['a json_object response_format', { response_format: { type: 'json_object' } }],
    ['audio output', { modalities: ['text', 'audio'], audio: { voice: 'alloy', format: 'mp3' } }],
    ['reasoning_effort and verbosity', { reasoning_effort: 'high', verbosity: 'low' }],
    ['metadata fields', { user: 'u-1', safety_identifier: 'hash-9', prompt_cache_key: 'k', metadata: { a: 'b' }, store: true, service_tier: 'flex' }],
    ['prediction and web_search_options', { prediction: { type: 'content', content: 'draft' }, web_search_options: { search_context_size: 'low' } }],
    [
      'every message role, images, audio, files and tool results',
      {
        messages: [
          { role: 'system', content: 'Be brief.', name: 'sys' },
          { role: 'developer', content: [{ type: 'text', text: 'Use French.' }] },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'look' },
              { type: 'image_url', image_url: { url: PNG, detail: 'high' } },
              { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
              { type: 'file', file: { file_id: 'file-abc' } },
            ],
          },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
          { role: 'assistant', content: null, refusal: 'I cannot.' },
          { role: 'function', name: 'f', content: 'x' },
          { role: 'user', content: 'thanks' },
        ],
      },
    ],
  ])('passes %s through unchanged, with the upstream model', (_name, fields) => {
    const expected = { model: UPSTREAM_MODEL, messages: HI, ...fields };
    expect(buildBody(type, fields, false)).toEqual(expected);
    expect(buildBody(type, fields, true)).toEqual({ ...expected, stream: true, stream_options: { include_usage: true } });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['no stream fields', {}, { include_usage: true }],
    ['stream false', { stream: false }, { include_usage: true }],
    ['include_usage false', { stream: true, stream_options: { include_usage: false } }, { include_usage: true }],
    ['stream_options null', { stream: true, stream_options: null }, { include_usage: true }],
    ['include_obfuscation, kept', { stream: true, stream_options: { include_obfuscation: false } }, { include_obfuscation: false, include_usage: true }],
  ])('forces stream and include_usage for a stream whose client sent %s', (_name, fields, streamOptions) => {
    expect(buildBody(type, fields, true)).toEqual({ model: UPSTREAM_MODEL, messages: HI, stream: true, stream_options: streamOptions });
  });

  it.each<[string, Record<string, unknown>]>([
    ['stream true', { stream: true }],
    ['stream null', { stream: null }],
    ['stream_options', { stream: true, stream_options: { include_usage: true, include_obfuscation: true } }],
  ])('removes the stream fields from a JSON call whose client sent %s', (_name, fields) => {
    expect(buildBody(type, fields, false)).toEqual({ model: UPSTREAM_MODEL, messages: HI });
  });

  it("leaves the client's request untouched", () => {
    const request = chat({ stream: true, stream_options: { include_usage: false }, tools: [WEATHER_TOOL] });
    adapter.buildChatRequest(request, target(type), { stream: true });
    adapter.buildChatRequest(request, target(type), { stream: false });
    expect(request).toEqual(chat({ stream: true, stream_options: { include_usage: false }, tools: [WEATHER_TOOL] }));
  });
});

describe('openai-compatible without a base URL', () => {
  it.each<[string, string | null]>([
    ['null', null],
    ['empty', ''],
    ['blank', '   '],
  ])('refuses a %s base URL with ProviderConfigInvalid, for chat and embeddings', (_name, baseUrl) => {
    const error = expect.objectContaining({ name: 'ProviderConfigInvalid', code: 'ERR_GATEWAY_PROVIDER_CONFIG_INVALID', message: 'openai-compatible accounts need a base URL' });
    const compat = target('openai-compatible', baseUrl);
    expect(() => openAiCompatibleAdapter.buildChatRequest(chat({}), compat, { stream: false })).toThrow(error);
    expect(() => openAiCompatibleAdapter.buildChatRequest(chat({}), compat, { stream: true })).toThrow(error);
    expect(() => openAiCompatibleAdapter.buildEmbeddingsRequest(embeddings({}), compat)).toThrow(error);
  });

  it('while openai falls back to api.openai.com', () => {
    expect(openAiAdapter.buildChatRequest(chat({}), target('openai', null), { stream: false }).url).toBe('https://api.openai.com/v1/chat/completions');
    expect(openAiAdapter.buildEmbeddingsRequest(embeddings({}), target('openai', '')).url).toBe('https://api.openai.com/v1/embeddings');
  });
});

describe.each(TYPES)('%s embeddings request', (type) => {
  it.each<[string, Record<string, unknown>]>([
    ['a single string', {}],
    ['a list of strings', { input: ['a', 'b'] }],
    ['token ids', { input: [1, 2, 3] }],
    ['lists of token ids', { input: [[1, 2], [3]] }],
    ['dimensions, base64 and user', { input: 'x', dimensions: 256, encoding_format: 'base64', user: 'u-1' }],
  ])('posts %s with the upstream model and every other field unchanged', (_name, fields) => {
    const built = ADAPTERS[type].buildEmbeddingsRequest(embeddings(fields), target(type));
    expect(built).toMatchObject({ method: 'POST', url: 'http://upstream.test/v1/embeddings', headers: { 'content-type': 'application/json', accept: 'application/json' } });
    expect(Object.keys(built.headers).sort()).toEqual(['accept', 'content-type']);
    expect(JSON.parse(built.body ?? '')).toEqual({ model: UPSTREAM_MODEL, input: 'hello world', ...fields });
  });
});

const USAGE = {
  prompt_tokens: 9,
  completion_tokens: 12,
  total_tokens: 21,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
};

function upstreamCompletion(choices: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'chatcmpl-up1', object: 'chat.completion', created: 1_700_000_001, model: UPSTREAM_MODEL, choices, usage: USAGE, service_tier: 'default', system_fingerprint: 'fp_1', ...extra };
}

const TEXT_CHOICE = { index: 0, message: { role: 'assistant', content: 'Hello!', refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' };
const TOOL_CHOICE = {
  index: 0,
  message: {
    role: 'assistant',
    content: null,
    refusal: null,
    tool_calls: [
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_b', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
    ],
  },
  logprobs: null,
  finish_reason: 'tool_calls',
};

describe('openai response', () => {
  const relabelled = (body: Record<string, unknown>) => ({ ...body, model: REPLY.model });

  it.each<[string, Record<string, unknown>, unknown]>([
    ['a text answer, upstream id and created kept', upstreamCompletion([TEXT_CHOICE]), relabelled(upstreamCompletion([TEXT_CHOICE]))],
    ['two parallel tool calls', upstreamCompletion([TOOL_CHOICE]), relabelled(upstreamCompletion([TOOL_CHOICE]))],
    [
      'n=2 choices ending in length and content_filter, with logprobs',
      upstreamCompletion([
        { ...TEXT_CHOICE, finish_reason: 'length', logprobs: { content: [{ token: 'Hello', logprob: -0.1, bytes: [72], top_logprobs: [] }], refusal: null } },
        { ...TEXT_CHOICE, index: 1, message: { role: 'assistant', content: null }, finish_reason: 'content_filter' },
      ]),
      relabelled(
        upstreamCompletion([
          { ...TEXT_CHOICE, finish_reason: 'length', logprobs: { content: [{ token: 'Hello', logprob: -0.1, bytes: [72], top_logprobs: [] }], refusal: null } },
          { ...TEXT_CHOICE, index: 1, message: { role: 'assistant', content: null }, finish_reason: 'content_filter' },
        ]),
      ),
    ],
    [
      'no id and no created (the gateway fills them)',
      upstreamCompletion([TEXT_CHOICE], { id: undefined, created: undefined }),
      { ...relabelled(upstreamCompletion([TEXT_CHOICE])), id: REPLY.id, created: REPLY.created },
    ],
    [
      'an empty id, a created that is not a number and no object',
      upstreamCompletion([TEXT_CHOICE], { id: '', created: '2024-01-01', object: undefined }),
      { ...relabelled(upstreamCompletion([TEXT_CHOICE])), id: REPLY.id, created: REPLY.created },
    ],
    ['no usage (left for the gateway to count)', upstreamCompletion([TEXT_CHOICE], { usage: undefined }), relabelled(upstreamCompletion([TEXT_CHOICE], { usage: undefined }))],
  ])('translates %s', (_name, body, expected) => {
    expect(openAiAdapter.parseChatResponse(body, REPLY)).toEqual(expected);
    expect(openAiCompatibleAdapter.parseChatResponse(body, REPLY)).toEqual(expected);
  });

  it('always answers with the model the client asked for', () => {
    expect(openAiAdapter.parseChatResponse({ ...upstreamCompletion([TEXT_CHOICE]), model: 'something-else' }, REPLY).model).toBe(REPLY.model);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'Hello'],
    ['an array', [TEXT_CHOICE]],
    ['an empty object', {}],
    ['an error body', { error: { message: 'bad', type: 'server_error' } }],
    ['choices that are not an array', { ...upstreamCompletion([]), choices: { 0: TEXT_CHOICE } }],
    ['a null choice', upstreamCompletion([null])],
    ['a legacy completions choice (text, no message)', upstreamCompletion([{ index: 0, text: 'Hello', finish_reason: 'stop' }])],
    ['a message that is a string', upstreamCompletion([{ index: 0, message: 'Hello', finish_reason: 'stop' }])],
  ])('fails %s with UpstreamStreamError', (_name, body) => {
    expect(() => openAiAdapter.parseChatResponse(body, REPLY)).toThrow(UpstreamStreamError);
  });
});

const encode = (text: string) => new TextEncoder().encode(text);
const data = (event: unknown) => `data: ${JSON.stringify(event)}\n\n`;
const BASE_CHUNK = { id: 'chatcmpl-s1', object: 'chat.completion.chunk', created: 1_700_000_002, model: UPSTREAM_MODEL, service_tier: 'default', system_fingerprint: 'fp_1' };

/** A chunk as OpenAI sends it with include_usage (usage: null on every content chunk). */
function upstreamChunk(delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) {
  return { ...BASE_CHUNK, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], usage: null, ...extra };
}

/** What the client gets: the same chunk under the client's model, and no usage field at all. */
function clientChunk(delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) {
  return { ...BASE_CHUNK, model: REPLY.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra };
}

const USAGE_CHUNK = { ...BASE_CHUNK, choices: [], usage: USAGE };

// Recorded from api.openai.com (ids and texts shortened), including the obfuscation padding field.
const TEXT_STREAM = [
  upstreamChunk({ role: 'assistant', content: '', refusal: null }, null, { obfuscation: 'Xy' }),
  upstreamChunk({ content: 'Héllo' }, null, { obfuscation: 'a' }),
  upstreamChunk({ content: ' 👋' }, null, { obfuscation: 'bcd' }),
  upstreamChunk({}, 'stop', { obfuscation: 'ef' }),
  USAGE_CHUNK,
]
  .map(data)
  .concat('data: [DONE]\n\n')
  .join('');
const TEXT_CHUNKS = [
  clientChunk({ role: 'assistant', content: '', refusal: null }, null, { obfuscation: 'Xy' }),
  clientChunk({ content: 'Héllo' }, null, { obfuscation: 'a' }),
  clientChunk({ content: ' 👋' }, null, { obfuscation: 'bcd' }),
  clientChunk({}, 'stop', { obfuscation: 'ef' }),
];

const TOOL_STREAM = [
  upstreamChunk({ role: 'assistant', content: null, refusal: null }),
  upstreamChunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
  upstreamChunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
  upstreamChunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
  upstreamChunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'now', arguments: '{}' } }] }),
  upstreamChunk({}, 'tool_calls'),
  USAGE_CHUNK,
]
  .map(data)
  .concat('data: [DONE]\n\n')
  .join('');
const TOOL_CHUNKS = [
  clientChunk({ role: 'assistant', content: null, refusal: null }),
  clientChunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
  clientChunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
  clientChunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
  clientChunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'now', arguments: '{}' } }] }),
  clientChunk({}, 'tool_calls'),
];

// An openai-compatible server: keep-alive comments, no ids or created, usage repeated on the last content chunk, no usage-only chunk.
const COMPAT_STREAM = [
  ': keep-alive\n\n',
  data({ object: 'chat.completion.chunk', model: 'llama', choices: [{ index: 0, delta: { role: 'assistant', content: 'ok' }, finish_reason: null }] }),
  ': keep-alive\n\n',
  data({ object: 'chat.completion.chunk', model: 'llama', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } }),
  'data: [DONE]\n\n',
].join('');
const COMPAT_CHUNKS = [
  { id: REPLY.id, object: 'chat.completion.chunk', created: REPLY.created, model: REPLY.model, choices: [{ index: 0, delta: { role: 'assistant', content: 'ok' }, finish_reason: null }] },
  { id: REPLY.id, object: 'chat.completion.chunk', created: REPLY.created, model: REPLY.model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
];

type Feeding = 'whole' | 'byte by byte';

function translateStream(text: string, feeding: Feeding = 'whole', adapter: ProviderAdapter = openAiAdapter): { chunks: unknown[]; translator: StreamTranslator } {
  const translator = adapter.createStreamTranslator(REPLY);
  const bytes = encode(text);
  const chunks: ChatCompletionChunk[] = [];
  if (feeding === 'byte by byte') for (let i = 0; i < bytes.length; i += 1) chunks.push(...translator.push(bytes.subarray(i, i + 1)));
  else chunks.push(...translator.push(bytes));
  chunks.push(...translator.finish());
  // As the client receives them: a field set to undefined is not sent.
  return { chunks: JSON.parse(JSON.stringify(chunks)) as unknown[], translator };
}

const CASES: Array<[string, string, unknown[], unknown]> = [
  ['a text stream (multi-byte characters, usage-only chunk dropped)', TEXT_STREAM, TEXT_CHUNKS, USAGE],
  ['a stream of two tool calls', TOOL_STREAM, TOOL_CHUNKS, USAGE],
  ['a compatible server without ids, with comments and usage on a content chunk', COMPAT_STREAM, COMPAT_CHUNKS, { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 }],
];

describe.each(TYPES)('%s stream', (type) => {
  const adapter = ADAPTERS[type];

  describe.each<Feeding>(['whole', 'byte by byte'])('fed %s', (feeding) => {
    it.each(CASES)('translates %s', (_name, text, expected, usage) => {
      const { chunks, translator } = translateStream(text, feeding, adapter);
      expect(chunks).toStrictEqual(expected);
      expect(translator.usage).toEqual(usage);
    });

    it.each(CASES)('reads %s the same with \\r\\n line endings', (_name, text, expected, usage) => {
      const { chunks, translator } = translateStream(text.replace(/\n/g, '\r\n'), feeding, adapter);
      expect(chunks).toStrictEqual(expected);
      expect(translator.usage).toEqual(usage);
    });
  });

  it.each(CASES)('never emits a usage-only chunk or a usage field for %s', (_name, text) => {
    const { chunks } = translateStream(text, 'whole', adapter);
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks as ChatCompletionChunk[]) {
      expect(chunk.choices.length).toBeGreaterThan(0);
      expect(chunk).not.toHaveProperty('usage');
    }
  });

  it('reports no usage when the upstream sent none', () => {
    const { translator } = translateStream(TEXT_STREAM.replace(data(USAGE_CHUNK), ''), 'whole', adapter);
    expect(translator.usage).toBeNull();
  });

  it('ignores anything after [DONE], even an error event', () => {
    const after = `${data(upstreamChunk({ content: 'late' }))}${data({ error: { message: 'late error' } })}event: error\ndata: {}\n\n`;
    expect(translateStream(TEXT_STREAM + after, 'whole', adapter).chunks).toStrictEqual(TEXT_CHUNKS);
    expect(translateStream(TEXT_STREAM + after, 'byte by byte', adapter).chunks).toStrictEqual(TEXT_CHUNKS);
  });

  it('records usage across pushes and returns chunks as their events complete', () => {
    const translator = adapter.createStreamTranslator(REPLY);
    const [first, rest] = [TEXT_STREAM.slice(0, 40), TEXT_STREAM.slice(40)];
    expect(translator.push(encode(first))).toEqual([]);
    expect(translator.push(encode(rest))).toHaveLength(4);
    expect(translator.usage).toEqual(USAGE);
    expect(translator.finish()).toEqual([]);
  });

  it.each<[string, string, string]>([
    ['a data error object', data({ error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } }), 'The server had an error while processing your request.'],
    ['an error event', 'event: error\ndata: {"error":{"message":"Rate limit reached","type":"rate_limit_exceeded"}}\n\n', 'Rate limit reached'],
    ['a plain-text error event', 'event: error\ndata: upstream overloaded\n\n', 'upstream overloaded'],
    ['an error with no message', data({ error: {} }), 'the upstream reported an error'],
    ['an event that is not JSON', 'data: {"choices":[\n\n', 'the upstream sent a stream event that is not JSON'],
    ['an event that is JSON null', 'data: null\n\n', 'the upstream sent a stream event that is not a JSON object'],
    ['an event that is a JSON number', 'data: 42\n\n', 'the upstream sent a stream event that is not a JSON object'],
  ])('throws UpstreamStreamError on %s mid-stream', (_name, event, message) => {
    const translator = adapter.createStreamTranslator(REPLY);
    expect(translator.push(encode(data(upstreamChunk({ role: 'assistant', content: '' }))))).toHaveLength(1);
    let thrown: unknown;
    try {
      translator.push(encode(event));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UpstreamStreamError);
    expect(thrown).toMatchObject({ message });
  });

  it.each<[string, string]>([
    ['before [DONE]', TEXT_STREAM.replace('data: [DONE]\n\n', '')],
    ['half-way through [DONE]', TEXT_STREAM.replace('data: [DONE]\n\n', 'data: [DO')],
    ['with [DONE] not yet terminated by a blank line', TEXT_STREAM.replace('data: [DONE]\n\n', 'data: [DONE]')],
    ['mid-chunk', TEXT_STREAM.slice(0, TEXT_STREAM.indexOf('Héllo'))],
    ['with nothing', ''],
  ])('throws from finish() when the body ends %s', (_name, text) => {
    const translator = adapter.createStreamTranslator(REPLY);
    translator.push(encode(text));
    expect(() => translator.finish()).toThrow(new UpstreamStreamError('the upstream stream ended before it was complete'));
  });
});

const VECTOR = [0.25, -0.5, 1];
const VECTOR_BASE64 = Buffer.from(new Float32Array(VECTOR).buffer).toString('base64');

function decodeFloat32(base64: string): number[] {
  return Array.from(new Float32Array(Uint8Array.from(Buffer.from(base64, 'base64')).buffer));
}

describe('openai embeddings response', () => {
  const upstream = (embedding: unknown, usage: unknown = { prompt_tokens: 5, total_tokens: 5 }) => ({
    object: 'list',
    data: [
      { object: 'embedding', index: 0, embedding },
      { object: 'embedding', index: 1, embedding },
    ],
    model: 'text-embedding-3-small',
    usage,
  });
  const answer = (embedding: unknown, usage = { prompt_tokens: 5, total_tokens: 5 }) => ({ ...upstream(embedding, usage), model: REPLY.model });

  it.each<[string, Record<string, unknown>, unknown, unknown]>([
    ['floats', {}, upstream(VECTOR), answer(VECTOR)],
    ['base64 passed through as the upstream encoded it', { encoding_format: 'base64' }, upstream(VECTOR_BASE64), answer(VECTOR_BASE64)],
    ['floats from a server that ignored base64, encoded here', { encoding_format: 'base64' }, upstream(VECTOR), answer(VECTOR_BASE64)],
    ['floats when floats were asked', { encoding_format: 'float' }, upstream(VECTOR), answer(VECTOR)],
    ['usage without total_tokens', {}, upstream(VECTOR, { prompt_tokens: 5 }), answer(VECTOR)],
    ['no usage (0: counted by the gateway)', {}, { ...upstream(VECTOR), usage: undefined }, answer(VECTOR, { prompt_tokens: 0, total_tokens: 0 })],
  ])('translates %s', (_name, fields, body, expected) => {
    for (const type of TYPES) expect(ADAPTERS[type].parseEmbeddingsResponse(body, REPLY, embeddings(fields))).toEqual(expected);
  });

  it('encodes little-endian float32 that decodes to the same vector', () => {
    const parsed = openAiAdapter.parseEmbeddingsResponse(upstream(VECTOR), REPLY, embeddings({ encoding_format: 'base64' }));
    expect(decodeFloat32(parsed.data[0]?.embedding as string)).toEqual(VECTOR);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an error body', { error: { message: 'bad' } }],
    ['data that is not an array', { object: 'list', data: {} }],
  ])('fails %s with UpstreamStreamError', (_name, body) => {
    expect(() => openAiAdapter.parseEmbeddingsResponse(body, REPLY, embeddings({}))).toThrow(UpstreamStreamError);
  });
});

describe.each(TYPES)('%s round trip against the fake upstream', (type) => {
  const adapter = ADAPTERS[type];
  const { fake, dispatcher } = useFakeUpstream();
  let fakeTarget: ModelTarget;

  beforeAll(() => {
    fakeTarget = { account: buildFakeAccount(type, fake.url), upstreamModel: 'model-a' };
  });

  const call = (built: UpstreamRequest) => sendSigned(fakeTarget.account, built, dispatcher);

  const prefix = type === 'openai' ? '' : '/compat';
  const fakeChunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    id: 'chatcmpl-fake0001',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: REPLY.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });

  it('answers a JSON chat with the echo text and usage, authenticated by Bearer key', async () => {
    const answer = await call(adapter.buildChatRequest(chat({ stream: false }), fakeTarget, { stream: false }));
    expect(answer.status).toBe(200);
    expect(adapter.parseChatResponse(JSON.parse(answer.text), REPLY)).toEqual({
      id: 'chatcmpl-fake0001',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: REPLY.model,
      choices: [{ index: 0, message: { role: 'assistant', content: 'Echo model-a: hi', refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 },
      system_fingerprint: 'fp_fake',
    });
    expect(fake.requests.at(-1)).toMatchObject({ provider: type, url: `${prefix}/v1/chat/completions`, presentedCredential: `Bearer ${GOOD_KEYS[type]}` });
  });

  it('answers a tool call when tools are offered, and the echo after the tool result', async () => {
    const first = await call(adapter.buildChatRequest(chat({ tools: [WEATHER_TOOL], tool_choice: 'auto' }), fakeTarget, { stream: false }));
    const parsed = adapter.parseChatResponse(JSON.parse(first.text), REPLY);
    expect(parsed.choices[0]).toEqual({
      index: 0,
      message: { role: 'assistant', content: null, tool_calls: [{ id: FAKE_TOOL_CALL_ID, type: 'function', function: { name: 'get_weather', arguments: FAKE_TOOL_ARGUMENTS } }] },
      logprobs: null,
      finish_reason: 'tool_calls',
    });
    expect(JSON.parse(parsed.choices[0]?.message.tool_calls?.[0]?.function.arguments ?? '')).toEqual({ city: 'Paris' });
    const turn = [...HI, parsed.choices[0]?.message, { role: 'tool', tool_call_id: FAKE_TOOL_CALL_ID, content: 'sunny' }];
    const second = await call(adapter.buildChatRequest(chat({ tools: [WEATHER_TOOL], messages: turn }), fakeTarget, { stream: false }));
    expect(adapter.parseChatResponse(JSON.parse(second.text), REPLY).choices[0]?.message.content).toBe('Echo model-a: hi');
  });

  async function streamChat(fields: Record<string, unknown>): Promise<{ chunks: ChatCompletionChunk[]; translator: StreamTranslator; cutOff: boolean }> {
    const answer = await call(adapter.buildChatRequest(chat({ stream: true, ...fields }), fakeTarget, { stream: true }));
    expect(answer.status).toBe(200);
    const translator = adapter.createStreamTranslator(REPLY);
    const chunks = answer.pieces.flatMap((piece) => translator.push(piece));
    return { chunks: [...chunks, ...translator.finish()], translator, cutOff: answer.cutOff };
  }

  it('streams the echo text, with usage asked for and recorded aside though the client did not ask', async () => {
    const { chunks, translator } = await streamChat({});
    expect(JSON.parse(fake.requests.at(-1)?.body ?? '')).toMatchObject({ model: 'model-a', stream: true, stream_options: { include_usage: true } });
    expect(JSON.parse(JSON.stringify(chunks))).toStrictEqual([
      fakeChunk({ role: 'assistant', content: '' }),
      fakeChunk({ content: 'Echo ' }),
      fakeChunk({ content: 'model-a: ' }),
      fakeChunk({ content: 'hi' }),
      fakeChunk({}, 'stop'),
    ]);
    expect(translator.usage).toEqual({ prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 });
  });

  it('streams a tool call', async () => {
    const { chunks, translator } = await streamChat({ tools: [WEATHER_TOOL] });
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]).toEqual({ index: 0, id: FAKE_TOOL_CALL_ID, type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(deltas.map((d) => d.function?.arguments ?? '').join('')).toBe(FAKE_TOOL_ARGUMENTS);
    expect(chunks.at(-1)?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'tool_calls' });
    expect(translator.usage).toEqual({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
  });

  it('embeds texts with the upstream model and usage', async () => {
    const request = embeddings({ input: ['hello world', 'hi'] });
    const answer = await call(adapter.buildEmbeddingsRequest(request, fakeTarget));
    expect(answer.status).toBe(200);
    expect(adapter.parseEmbeddingsResponse(JSON.parse(answer.text), REPLY, request)).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: fakeEmbedding('hello world') },
        { object: 'embedding', index: 1, embedding: fakeEmbedding('hi') },
      ],
      model: REPLY.model,
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
    expect(fake.requests.at(-1)).toMatchObject({ url: `${prefix}/v1/embeddings` });
  });

  it('embeds as base64 with dimensions, decoding to the same vector', async () => {
    const request = embeddings({ input: 'hello', dimensions: 4, encoding_format: 'base64' });
    const answer = await call(adapter.buildEmbeddingsRequest(request, fakeTarget));
    const parsed = adapter.parseEmbeddingsResponse(JSON.parse(answer.text), REPLY, request);
    expect(typeof parsed.data[0]?.embedding).toBe('string');
    expect(decodeFloat32(parsed.data[0]?.embedding as string)).toEqual(fakeEmbedding('hello', 4).map(Math.fround));
  });

  it("turns the upstream's in-stream error into UpstreamStreamError with its message", async () => {
    fake.setMode({ kind: 'error-mid-stream', afterChunks: 2 });
    await expect(streamChat({})).rejects.toThrow(new UpstreamStreamError('The server had an error while processing your request.'));
  });

  it('fails a stream whose connection is reset mid-way', async () => {
    fake.setMode({ kind: 'reset-mid-stream', afterChunks: 2 });
    const answer = await call(adapter.buildChatRequest(chat({}), fakeTarget, { stream: true }));
    const translator = adapter.createStreamTranslator(REPLY);
    const chunks = answer.pieces.flatMap((piece) => translator.push(piece));
    // What arrived before the reset is still translated; at most the two chunks sent.
    expect(chunks.map((c) => c.choices[0]?.delta)).toEqual([{ role: 'assistant', content: '' }, { content: 'Echo ' }].slice(0, chunks.length));
    // The body read may fail (cutOff) or end quietly: either way [DONE] never came, so finish() fails.
    expect(() => translator.finish()).toThrow(new UpstreamStreamError('the upstream stream ended before it was complete'));
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a missing model', { messages: HI }, 'you must provide a model parameter'],
    ['missing messages', { model: 'model-a' }, "'messages' must be a non-empty array"],
  ])("the fake refuses %s in OpenAI's error shape", async (_name, body, message) => {
    const built: UpstreamRequest = { method: 'POST', url: `${fake.url}${prefix}/v1/chat/completions`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    const answer = await call(built);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({ error: { message, type: 'invalid_request_error', param: expect.any(String), code: null } });
  });
});
