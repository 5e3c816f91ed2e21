// The Ollama adapter: OpenAI requests to native /api/chat and /api/embed bodies, Ollama's answers and
// NDJSON streams back to OpenAI's shapes, and round trips through auth to the fake Ollama.
import { UnsupportedParameter } from '@api/errors';
import { chatCompletionRequest } from '@api/gateway/openai/chat-request';
import { embeddingsRequest } from '@api/gateway/openai/embeddings-request';
import type { ChatCompletionChunk } from '@api/gateway/openai/responses';
import type { ModelTarget, ReplyContext, StreamTranslator } from '@api/gateway/providers/adapter';
import { ollamaAdapter } from '@api/gateway/providers/ollama';
import type { UpstreamRequest } from '@api/gateway/providers/types';
import { UpstreamStreamError } from '@api/gateway/upstream-stream-error';
import { FAKE_ACCEPTED, buildFakeAccount } from '@tests/fixtures/fake-upstream/accounts';
import { fakeEmbedding } from '@tests/fixtures/fake-upstream/chat-script';
import { sendSigned, useFakeUpstream } from '@tests/fixtures/provider-round-trip';

const TARGET: ModelTarget = { account: { type: 'ollama', baseUrl: null, region: null, apiVersion: null }, upstreamModel: 'llama3.2' };
const REPLY: ReplyContext = { model: 'ollama-main/llama3.2', id: 'chatcmpl-test0001', created: 1_700_000_000 };
const CREATED_AT = '2025-01-01T00:00:00.000000Z';
const CREATED = Date.parse(CREATED_AT) / 1000;
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const WEATHER_TOOL = { type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

function buildChat(fields: Record<string, unknown>, stream = false): UpstreamRequest {
  return ollamaAdapter.buildChatRequest(chatCompletionRequest.parse({ model: REPLY.model, ...fields }), TARGET, { stream });
}

function bodyOf(request: UpstreamRequest): unknown {
  return JSON.parse(request.body ?? 'null');
}

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

const user = (content: unknown) => ({ role: 'user', content });
const callWeather = (id: string, args = '{"city":"Paris"}') => ({ id, type: 'function', function: { name: 'get_weather', arguments: args } });

describe('ollama chat requests', () => {
  it('posts to /api/chat under the default base URL with JSON headers and no credential', () => {
    const request = buildChat({ messages: [user('hi')] });
    expect(request).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:11434/api/chat', headers: { 'content-type': 'application/json', accept: 'application/json' } });
    expect(Object.keys(request.headers).sort()).toEqual(['accept', 'content-type']);
  });

  it('keeps the path of an account base URL and asks for NDJSON when streaming', () => {
    const target = { ...TARGET, account: { ...TARGET.account, baseUrl: 'https://llm.example.com/ollama/' } };
    const request = ollamaAdapter.buildChatRequest(chatCompletionRequest.parse({ model: 'm', messages: [user('hi')] }), target, { stream: true });
    expect(request.url).toBe('https://llm.example.com/ollama/api/chat');
    expect(request.headers.accept).toBe('application/x-ndjson');
    expect(bodyOf(request)).toMatchObject({ stream: true });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['a user message, stream sent explicitly as false', { messages: [user('hi')] }, { messages: [{ role: 'user', content: 'hi' }] }],
    [
      'system and developer prompts as system messages, text parts joined by new lines',
      { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'developer', content: [{ type: 'text', text: 'One' }, { type: 'text', text: 'Two' }] }, user('hi')] },
      { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'system', content: 'One\nTwo' }, { role: 'user', content: 'hi' }] },
    ],
    [
      'a multi-turn conversation, message names dropped',
      { messages: [{ role: 'user', content: 'hi', name: 'ann' }, { role: 'assistant', content: 'hello' }, user('how are you?')] },
      { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }, { role: 'user', content: 'how are you?' }] },
    ],
    [
      'tool definitions, a tool without parameters getting an empty schema, strict dropped',
      { messages: [user('hi')], tools: [WEATHER_TOOL, { type: 'function', function: { name: 'now', strict: true } }], tool_choice: 'auto' },
      {
        messages: [{ role: 'user', content: 'hi' }],
        tools: [WEATHER_TOOL, { type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } }],
      },
    ],
    [
      'assistant tool calls with object arguments and tool results named by their call',
      { messages: [user('weather?'), { role: 'assistant', content: null, tool_calls: [callWeather('call_0'), callWeather('call_1', '')] }, { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'sunny' }] }] },
      {
        messages: [
          { role: 'user', content: 'weather?' },
          { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }, { function: { name: 'get_weather', arguments: {} } }] },
          { role: 'tool', content: 'sunny', tool_name: 'get_weather' },
        ],
      },
    ],
    [
      'a repeated call id names the tool of the nearest earlier call; an unknown id names none',
      {
        messages: [
          user('go'),
          { role: 'assistant', tool_calls: [callWeather('call_0')] },
          { role: 'tool', tool_call_id: 'call_0', content: 'sunny' },
          { role: 'assistant', tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'get_time', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'call_0', content: 'noon' },
          { role: 'tool', tool_call_id: 'call_9', content: 'lost' },
        ],
      },
      {
        messages: [
          { role: 'user', content: 'go' },
          { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }] },
          { role: 'tool', content: 'sunny', tool_name: 'get_weather' },
          { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_time', arguments: {} } }] },
          { role: 'tool', content: 'noon', tool_name: 'get_time' },
          { role: 'tool', content: 'lost' },
        ],
      },
    ],
    [
      'data: URL images as bare base64 beside the text',
      { messages: [user([{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}`, detail: 'low' } }])] },
      { messages: [{ role: 'user', content: 'what is this?', images: [PNG] }] },
    ],
    [
      'sampling settings in options, a bare stop string as a list',
      { messages: [user('hi')], temperature: 0.2, top_p: 0.9, max_tokens: 64, stop: 'END', seed: 7, presence_penalty: 0.5, frequency_penalty: -0.5 },
      { messages: [{ role: 'user', content: 'hi' }], options: { temperature: 0.2, top_p: 0.9, num_predict: 64, stop: ['END'], seed: 7, presence_penalty: 0.5, frequency_penalty: -0.5 } },
    ],
    [
      'max_completion_tokens over max_tokens, a stop list as is, nulls left out',
      { messages: [user('hi')], max_tokens: 64, max_completion_tokens: 32, stop: ['a', 'b'], temperature: null, seed: null },
      { messages: [{ role: 'user', content: 'hi' }], options: { num_predict: 32, stop: ['a', 'b'] } },
    ],
    ['json_object as format "json"', { messages: [user('hi')], response_format: { type: 'json_object' } }, { messages: [{ role: 'user', content: 'hi' }], format: 'json' }],
    [
      'json_schema as the schema itself',
      { messages: [user('hi')], response_format: { type: 'json_schema', json_schema: { name: 'city', strict: true, schema: { type: 'object', properties: { city: { type: 'string' } } } } } },
      { messages: [{ role: 'user', content: 'hi' }], format: { type: 'object', properties: { city: { type: 'string' } } } },
    ],
    [
      'json_schema without a schema as format "json"',
      { messages: [user('hi')], response_format: { type: 'json_schema', json_schema: { name: 'any' } } },
      { messages: [{ role: 'user', content: 'hi' }], format: 'json' },
    ],
    [
      'metadata fields and harmless defaults dropped',
      {
        messages: [user('hi')],
        response_format: { type: 'text' },
        user: 'u1',
        safety_identifier: 's1',
        prompt_cache_key: 'k1',
        metadata: { team: 'a' },
        store: false,
        service_tier: 'auto',
        stream_options: { include_usage: true },
        n: 1,
        logprobs: false,
        modalities: ['text'],
        parallel_tool_calls: true,
      },
      { messages: [{ role: 'user', content: 'hi' }] },
    ],
  ])('translates %s', (_name, fields, expected) => {
    expect(bodyOf(buildChat(fields))).toEqual({ model: 'llama3.2', stream: false, ...expected });
  });

  it.each<[string, Record<string, unknown>]>([
    ['n', { n: 2 }],
    ['logprobs', { logprobs: true, top_logprobs: 2 }],
    ['top_logprobs', { top_logprobs: 2 }],
    ['logit_bias', { logit_bias: { '50256': -100 } }],
    ['audio', { audio: { voice: 'alloy', format: 'mp3' } }],
    ['modalities', { modalities: ['text', 'audio'] }],
    ['prediction', { prediction: { type: 'content', content: 'x' } }],
    ['reasoning_effort', { reasoning_effort: 'low' }],
    ['verbosity', { verbosity: 'low' }],
    ['web_search_options', { web_search_options: {} }],
    ['functions', { functions: [{ name: 'f' }] }],
    ['function_call', { function_call: 'auto' }],
    ['parallel_tool_calls', { parallel_tool_calls: false, tools: [WEATHER_TOOL] }],
    ['tool_choice', { tool_choice: 'none', tools: [WEATHER_TOOL] }],
    ['tool_choice', { tool_choice: 'required', tools: [WEATHER_TOOL] }],
    ['tool_choice', { tool_choice: { type: 'function', function: { name: 'get_weather' } }, tools: [WEATHER_TOOL] }],
    ['messages[0].content', { messages: [user([{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }])] }],
    ['messages[0].content', { messages: [user([{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }])] }],
    ['messages[0].content', { messages: [user([{ type: 'file', file: { file_id: 'file-1' } }])] }],
    ['messages[1].role', { messages: [user('hi'), { role: 'function', name: 'f', content: 'x' }] }],
    ['messages[1].tool_calls[0].function.arguments', { messages: [user('hi'), { role: 'assistant', tool_calls: [callWeather('c', '"Paris"')] }] }],
    ['messages[1].audio', { messages: [user('hi'), { role: 'assistant', content: 'x', audio: { id: 'audio_1' } }] }],
    ['messages[1].function_call', { messages: [user('hi'), { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } }] }],
  ])('refuses %s with a 400 naming it', (param, fields) => {
    const error = catchError(() => buildChat({ messages: [user('hi')], ...fields }));
    expect(error).toBeInstanceOf(UnsupportedParameter);
    expect(error).toMatchObject({ status: 400, code: 'ERR_GATEWAY_UNSUPPORTED_PARAMETER', param });
  });
});

const ollamaAnswer = (message: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  model: 'llama3.2',
  created_at: CREATED_AT,
  message: { role: 'assistant', ...message },
  done_reason: 'stop',
  done: true,
  total_duration: 5_191_566_416,
  prompt_eval_count: 26,
  eval_count: 298,
  ...extra,
});
const completion = (message: Record<string, unknown>, finish: string, usage = { prompt_tokens: 26, completion_tokens: 298, total_tokens: 324 }, created = CREATED) => ({
  id: REPLY.id,
  object: 'chat.completion',
  created,
  model: REPLY.model,
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish, logprobs: null }],
  usage,
});
const weatherCall = (id: string, args = '{"city":"Paris"}') => ({ id, type: 'function', function: { name: 'get_weather', arguments: args } });

describe('ollama chat responses', () => {
  it.each<[string, unknown, unknown]>([
    ['text', ollamaAnswer({ content: 'Hello!' }), completion({ content: 'Hello!' }, 'stop')],
    ['a token limit as length', ollamaAnswer({ content: 'Hel' }, { done_reason: 'length' }), completion({ content: 'Hel' }, 'length')],
    [
      'tool calls with generated ids and JSON-text arguments',
      ollamaAnswer({ content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }, { function: { name: 'get_weather', arguments: { city: 'Rome' } } }] }),
      completion({ content: null, tool_calls: [weatherCall('call_0'), weatherCall('call_1', '{"city":"Rome"}')] }, 'tool_calls'),
    ],
    [
      "text beside a tool call, and the upstream's own call id when it sends one",
      ollamaAnswer({ content: 'Checking.', tool_calls: [{ id: 'call_up_1', function: { index: 0, name: 'get_weather', arguments: { city: 'Paris' } } }] }),
      completion({ content: 'Checking.', tool_calls: [weatherCall('call_up_1')] }, 'tool_calls'),
    ],
    [
      'omitted counts and time as zero usage and the gateway time',
      { model: 'llama3.2', message: { role: 'assistant', content: 'ok' }, done: true, done_reason: 'stop' },
      completion({ content: 'ok' }, 'stop', { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }, REPLY.created),
    ],
  ])('translates %s', (_name, body, expected) => {
    expect(ollamaAdapter.parseChatResponse(body, REPLY)).toEqual(expected);
  });

  it.each([[null], [{ model: 'llama3.2', done: true }], [ollamaAnswer({ content: '', tool_calls: [{ function: { arguments: {} } }] })]])(
    'refuses a malformed answer %#',
    (body) => {
      expect(() => ollamaAdapter.parseChatResponse(body, REPLY)).toThrow(UpstreamStreamError);
    },
  );
});

const line = (value: unknown): string => `${JSON.stringify(value)}\n`;
const partLine = (message: Record<string, unknown>) => line({ model: 'llama3.2', created_at: CREATED_AT, message: { role: 'assistant', ...message }, done: false });
const doneLine = (doneReason = 'stop') =>
  line({ model: 'llama3.2', created_at: CREATED_AT, message: { role: 'assistant', content: '' }, done_reason: doneReason, done: true, total_duration: 1_000, prompt_eval_count: 12, prompt_eval_duration: 10, eval_count: 3, eval_duration: 20 });

const TEXT_STREAM = [partLine({ content: 'Hello' }), partLine({ content: ' world' }), partLine({ content: '', thinking: 'hmm' }), doneLine()].join('');
const TOOL_STREAM = [partLine({ content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }] }), partLine({ content: '', tool_calls: [{ function: { name: 'get_time', arguments: {} } }] }), doneLine()].join('');
const LENGTH_STREAM = [partLine({ content: 'Hel' }), doneLine('length')].join('');

const chunkOf = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: REPLY.id,
  object: 'chat.completion.chunk',
  created: CREATED,
  model: REPLY.model,
  choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
});
const ROLE_CHUNK = chunkOf({ role: 'assistant', content: '' });

function translateAll(text: string, split: 'whole' | 'bytes'): { chunks: ChatCompletionChunk[]; translator: StreamTranslator } {
  const translator = ollamaAdapter.createStreamTranslator(REPLY);
  const bytes = new TextEncoder().encode(text);
  const pieces = split === 'whole' ? [bytes] : Array.from(bytes, (byte) => Uint8Array.of(byte));
  const chunks = pieces.flatMap((piece) => translator.push(piece));
  return { chunks: [...chunks, ...translator.finish()], translator };
}

describe('ollama chat streams', () => {
  it.each<[string, string, unknown[]]>([
    ['text, skipping thinking-only lines', TEXT_STREAM, [ROLE_CHUNK, chunkOf({ content: 'Hello' }), chunkOf({ content: ' world' }), chunkOf({}, 'stop')]],
    [
      'whole tool calls as a name delta then an arguments delta',
      TOOL_STREAM,
      [
        ROLE_CHUNK,
        chunkOf({ tool_calls: [{ index: 0, id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
        chunkOf({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Paris"}' } }] }),
        chunkOf({ tool_calls: [{ index: 1, id: 'call_1', type: 'function', function: { name: 'get_time', arguments: '' } }] }),
        chunkOf({ tool_calls: [{ index: 1, function: { arguments: '{}' } }] }),
        chunkOf({}, 'tool_calls'),
      ],
    ],
    ['a token limit as length', LENGTH_STREAM, [ROLE_CHUNK, chunkOf({ content: 'Hel' }), chunkOf({}, 'length')]],
  ])('translates %s, identically when fed one byte at a time', (_name, text, expected) => {
    const whole = translateAll(text, 'whole');
    expect(whole.chunks).toEqual(expected);
    expect(whole.translator.usage).toEqual({ prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 });
    expect(translateAll(text, 'bytes').chunks).toEqual(expected);
  });

  it('reads a last line that has no newline and ignores anything after done', () => {
    const text = `${TEXT_STREAM}${partLine({ content: 'late' })}`.trimEnd();
    expect(translateAll(`${LENGTH_STREAM.trimEnd()}`, 'whole').chunks.at(-1)).toEqual(chunkOf({}, 'length'));
    expect(translateAll(text, 'whole').chunks.filter((chunk) => chunk.choices[0]?.delta.content === 'late')).toEqual([]);
  });

  it('has no usage before the final line', () => {
    const translator = ollamaAdapter.createStreamTranslator(REPLY);
    translator.push(new TextEncoder().encode(partLine({ content: 'Hi' })));
    expect(translator.usage).toBeNull();
  });

  it.each<[string, string, string]>([
    ['an error line', `${partLine({ content: 'Hi' })}{"error":"an error was encountered while running the model: unexpected EOF"}\n`, 'an error was encountered while running the model: unexpected EOF'],
    ['a line that is not JSON', `${partLine({ content: 'Hi' })}<html>\n`, 'the upstream sent a line that is not JSON'],
  ])('throws UpstreamStreamError on %s', (_name, text, message) => {
    const translator = ollamaAdapter.createStreamTranslator(REPLY);
    const error = catchError(() => translator.push(new TextEncoder().encode(text)));
    expect(error).toBeInstanceOf(UpstreamStreamError);
    expect(error).toMatchObject({ message });
  });

  it.each([[''], [partLine({ content: 'Hi' })], [partLine({ content: 'Hi' }).slice(0, 20)]])('throws from finish() when the body ends before done:true %#', (text) => {
    const translator = ollamaAdapter.createStreamTranslator(REPLY);
    const error = catchError(() => {
      translator.push(new TextEncoder().encode(text));
      translator.finish();
    });
    expect(error).toBeInstanceOf(UpstreamStreamError);
  });
});

describe('ollama embeddings', () => {
  const buildEmbed = (fields: Record<string, unknown>) => ollamaAdapter.buildEmbeddingsRequest(embeddingsRequest.parse({ model: REPLY.model, ...fields }), TARGET);

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['one text', { input: 'hello', user: 'u1', encoding_format: 'base64' }, { input: 'hello' }],
    ['several texts with dimensions', { input: ['a', 'b'], dimensions: 256 }, { input: ['a', 'b'], dimensions: 256 }],
  ])('posts %s to /api/embed', (_name, fields, expected) => {
    const request = buildEmbed(fields);
    expect(request).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:11434/api/embed' });
    expect(bodyOf(request)).toEqual({ model: 'llama3.2', ...expected });
  });

  it.each([[[1, 2, 3]], [[[1, 2], [3]]]])('refuses token-id input %#', (input) => {
    expect(catchError(() => buildEmbed({ input }))).toMatchObject({ status: 400, param: 'input' });
  });

  const answer = { model: 'llama3.2', embeddings: [[0.5, -0.25], [1, 0]], total_duration: 1, load_duration: 1, prompt_eval_count: 4 };

  it('translates vectors and the prompt token count', () => {
    const request = embeddingsRequest.parse({ model: REPLY.model, input: ['a', 'b'] });
    expect(ollamaAdapter.parseEmbeddingsResponse(answer, REPLY, request)).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.5, -0.25] },
        { object: 'embedding', index: 1, embedding: [1, 0] },
      ],
      model: REPLY.model,
      usage: { prompt_tokens: 4, total_tokens: 4 },
    });
  });

  it('encodes base64 as little-endian float32 and leaves an unreported count at 0 for the gateway', () => {
    const request = embeddingsRequest.parse({ model: REPLY.model, input: 'a', encoding_format: 'base64' });
    const result = ollamaAdapter.parseEmbeddingsResponse({ model: 'llama3.2', embeddings: [[0.5, -0.25]] }, REPLY, request);
    const encoded = result.data[0]?.embedding as string;
    const bytes = Buffer.from(encoded, 'base64');
    expect([bytes.readFloatLE(0), bytes.readFloatLE(4)]).toEqual([0.5, -0.25]);
    expect(result.usage).toEqual({ prompt_tokens: 0, total_tokens: 0 });
  });

  it.each([[{}], [{ embeddings: [['x']] }]])('refuses a malformed answer %#', (body) => {
    expect(() => ollamaAdapter.parseEmbeddingsResponse(body, REPLY, embeddingsRequest.parse({ model: 'm', input: 'a' }))).toThrow(UpstreamStreamError);
  });
});

describe('ollama round trips through the fake Ollama', () => {
  const { fake, dispatcher } = useFakeUpstream();

  const target = (upstreamModel = 'model-a'): ModelTarget => ({ account: buildFakeAccount('ollama', fake.url), upstreamModel });
  const send = (built: UpstreamRequest) => sendSigned(target().account, built, dispatcher);

  async function chatJson(fields: Record<string, unknown>, model = 'model-a') {
    const built = ollamaAdapter.buildChatRequest(chatCompletionRequest.parse({ model: 'public-name', ...fields }), target(model), { stream: false });
    const response = await send(built);
    return { status: response.status, body: JSON.parse(response.text) as unknown };
  }

  async function chatStream(fields: Record<string, unknown>) {
    const built = ollamaAdapter.buildChatRequest(chatCompletionRequest.parse({ model: 'public-name', ...fields }), target(), { stream: true });
    const response = await send(built);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-ndjson');
    const translator = ollamaAdapter.createStreamTranslator(REPLY);
    const chunks: ChatCompletionChunk[] = [];
    for (const piece of response.pieces) chunks.push(...translator.push(new Uint8Array(piece)));
    chunks.push(...translator.finish());
    return { chunks, usage: translator.usage };
  }

  it('answers a JSON chat, authenticated with the account key', async () => {
    const { status, body } = await chatJson({ messages: [user('hi')] });
    expect(status).toBe(200);
    expect(fake.requests[0]?.presentedCredential).toBe(`Bearer ${FAKE_ACCEPTED.apiKeys.ollama?.[0]}`);
    expect(ollamaAdapter.parseChatResponse(body, REPLY)).toMatchObject({
      model: REPLY.model,
      choices: [{ message: { role: 'assistant', content: 'Echo model-a: hi' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 },
    });
  });

  it('answers a tool call, then text once the tool result (and an image) is sent back', async () => {
    const first = await chatJson({ messages: [user('weather?')], tools: [WEATHER_TOOL] });
    const call = ollamaAdapter.parseChatResponse(first.body, REPLY).choices[0];
    expect(call).toMatchObject({ message: { content: null, tool_calls: [weatherCall('call_0')] }, finish_reason: 'tool_calls' });
    const second = await chatJson({
      messages: [
        user([{ type: 'text', text: 'weather?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }]),
        { role: 'assistant', content: null, tool_calls: call?.message.tool_calls },
        { role: 'tool', tool_call_id: 'call_0', content: 'sunny' },
      ],
      tools: [WEATHER_TOOL],
      temperature: 0.1,
      stop: 'END',
    });
    expect(second.status).toBe(200);
    expect(ollamaAdapter.parseChatResponse(second.body, REPLY).choices[0]?.message.content).toBe('Echo model-a: weather?');
  });

  it('stops at max_tokens with finish_reason length', async () => {
    const { body } = await chatJson({ messages: [user('hi there')], max_tokens: 2 });
    expect(ollamaAdapter.parseChatResponse(body, REPLY).choices[0]).toMatchObject({ message: { content: 'Echo model-a: ' }, finish_reason: 'length' });
  });

  it("passes on Ollama's 404 for a model that is not pulled", async () => {
    expect(await chatJson({ messages: [user('hi')] }, 'model-z')).toEqual({ status: 404, body: { error: 'model "model-z" not found, try pulling it first' } });
  });

  it('streams text, with usage kept in the translator', async () => {
    const { chunks, usage } = await chatStream({ messages: [user('hi')] });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Echo model-a: hi');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(usage).toEqual({ prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 });
  });

  it('streams a tool call', async () => {
    const { chunks } = await chatStream({ messages: [user('weather?')], tools: [WEATHER_TOOL] });
    const deltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]).toEqual({ index: 0, id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(deltas.map((delta) => delta.function?.arguments ?? '').join('')).toBe('{"city":"Paris"}');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it("turns Ollama's in-stream error line into an UpstreamStreamError", async () => {
    fake.setMode({ kind: 'error-mid-stream', afterChunks: 1 });
    await expect(chatStream({ messages: [user('hi')] })).rejects.toThrow(new UpstreamStreamError('an error was encountered while running the model: unexpected EOF'));
  });

  it('embeds texts with dimensions and reports their tokens', async () => {
    const built = ollamaAdapter.buildEmbeddingsRequest(embeddingsRequest.parse({ model: 'public-name', input: ['hello world', 'bye'], dimensions: 4 }), target('model-b'));
    const response = await send(built);
    expect(response.status).toBe(200);
    const request = embeddingsRequest.parse({ model: 'public-name', input: ['hello world', 'bye'] });
    expect(ollamaAdapter.parseEmbeddingsResponse(JSON.parse(response.text), REPLY, request)).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: fakeEmbedding('hello world', 4) },
        { object: 'embedding', index: 1, embedding: fakeEmbedding('bye', 4) },
      ],
      model: REPLY.model,
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a bare stop string', { model: 'model-a', messages: [user('hi')], options: { stop: 'END' } }, 'option "stop" must be of type array'],
    ['JSON-text tool arguments', { model: 'model-a', messages: [{ role: 'assistant', content: '', tool_calls: [{ function: { name: 'f', arguments: '{}' } }] }] }, 'ToolCallFunctionArguments'],
    ['content parts', { model: 'model-a', messages: [user([{ type: 'text', text: 'hi' }])] }, 'cannot unmarshal array'],
    ['an OpenAI-only role', { model: 'model-a', messages: [{ role: 'developer', content: 'x' }] }, 'invalid role'],
    ['a missing model', { messages: [user('hi')] }, 'model is required'],
  ])('the fake rejects %s as Ollama does', async (_name, body, message) => {
    const response = await send({ method: 'POST', url: `${fake.url}/api/chat`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect((JSON.parse(response.text) as { error: string }).error).toContain(message);
  });
});
