// The Azure OpenAI adapter: OpenAI's bodies sent to /openai/deployments/<deployment>/...?api-version=
// without `model`, Azure's answers and streams (content-filter annotations included) relabelled with the
// client's model, and round trips against the fake Azure upstream.
import { azureOpenAiAdapter } from '@api/gateway/providers/azure-openai';
import type { ModelTarget, ReplyContext, StreamTranslator } from '@api/gateway/providers/adapter';
import type { UpstreamAccount, UpstreamRequest } from '@api/gateway/providers/types';
import { chatCompletionRequest, type ChatCompletionRequest } from '@api/gateway/openai/chat-request';
import { embeddingsRequest, type EmbeddingsRequest } from '@api/gateway/openai/embeddings-request';
import type { ChatCompletionChunk } from '@api/gateway/openai/responses';
import { UpstreamStreamError } from '@api/gateway/upstream-stream-error';
import { GOOD_KEYS, buildFakeAccount } from '@tests/fixtures/fake-upstream/accounts';
import { FAKE_TOOL_ARGUMENTS, FAKE_TOOL_CALL_ID, fakeEmbedding } from '@tests/fixtures/fake-upstream/chat-script';
import { sendSigned, useFakeUpstream } from '@tests/fixtures/provider-round-trip';

const ACCOUNT: UpstreamAccount = { type: 'azure-openai', baseUrl: 'https://res.openai.azure.com', region: null, apiVersion: null };
const TARGET: ModelTarget = { account: ACCOUNT, upstreamModel: 'gpt4o-prod' };
const REPLY: ReplyContext = { model: 'azure-main/gpt-4o', id: 'chatcmpl-gateway01', created: 1_700_000_123 };
const DEFAULT_VERSION = '2024-10-21';
const HI = [{ role: 'user', content: 'hi' }];
const WEATHER_TOOL = { type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

function chat(fields: Record<string, unknown>): ChatCompletionRequest {
  return chatCompletionRequest.parse({ model: REPLY.model, messages: HI, ...fields });
}

function embeddings(fields: Record<string, unknown>): EmbeddingsRequest {
  return embeddingsRequest.parse({ model: 'azure-main/embed', input: 'hello world', ...fields });
}

function withAccount(fields: Partial<UpstreamAccount>, upstreamModel = TARGET.upstreamModel): ModelTarget {
  return { account: { ...ACCOUNT, ...fields }, upstreamModel };
}

function buildBody(fields: Record<string, unknown>, stream: boolean): unknown {
  return JSON.parse(azureOpenAiAdapter.buildChatRequest(chat(fields), TARGET, { stream }).body ?? 'null');
}

describe('azure-openai request', () => {
  it('posts to the deployment with the default api-version, JSON headers, no model and no credential', () => {
    expect(azureOpenAiAdapter.buildChatRequest(chat({}), TARGET, { stream: false })).toEqual({
      method: 'POST',
      url: `https://res.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=${DEFAULT_VERSION}`,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ messages: HI }),
    });
  });

  it('asks for SSE when streaming, with no api-key header', () => {
    const built = azureOpenAiAdapter.buildChatRequest(chat({}), TARGET, { stream: true });
    expect(built.headers).toEqual({ 'content-type': 'application/json', accept: 'text/event-stream' });
    expect(built.body).not.toContain(GOOD_KEYS['azure-openai']);
  });

  it.each<[string, ModelTarget, string]>([
    ['the account api-version', withAccount({ apiVersion: '2025-01-01-preview' }), 'https://res.openai.azure.com/openai/deployments/gpt4o-prod/{op}?api-version=2025-01-01-preview'],
    ['a blank api-version (default used)', withAccount({ apiVersion: '   ' }), `https://res.openai.azure.com/openai/deployments/gpt4o-prod/{op}?api-version=${DEFAULT_VERSION}`],
    ['an api-version with spaces around it', withAccount({ apiVersion: ' 2024-06-01 ' }), 'https://res.openai.azure.com/openai/deployments/gpt4o-prod/{op}?api-version=2024-06-01'],
    ['a base URL with a trailing slash', withAccount({ baseUrl: 'https://res.openai.azure.com/' }), `https://res.openai.azure.com/openai/deployments/gpt4o-prod/{op}?api-version=${DEFAULT_VERSION}`],
    ['a base URL under a gateway path', withAccount({ baseUrl: 'https://apim.example/azure//' }), `https://apim.example/azure/openai/deployments/gpt4o-prod/{op}?api-version=${DEFAULT_VERSION}`],
    ['a deployment with spaces and dots', withAccount({}, 'gpt 4o.mini'), `https://res.openai.azure.com/openai/deployments/gpt%204o.mini/{op}?api-version=${DEFAULT_VERSION}`],
    ['a deployment with "/", "?", "#" and "%"', withAccount({}, 'a/b?c#d%e'), `https://res.openai.azure.com/openai/deployments/a%2Fb%3Fc%23d%25e/{op}?api-version=${DEFAULT_VERSION}`],
    ['a deployment that looks like a dot-segment once decoded', withAccount({}, '%2e%2e'), `https://res.openai.azure.com/openai/deployments/%252e%252e/{op}?api-version=${DEFAULT_VERSION}`],
    ['a deployment with non-ASCII letters', withAccount({}, 'modèle'), `https://res.openai.azure.com/openai/deployments/mod%C3%A8le/{op}?api-version=${DEFAULT_VERSION}`],
  ])('builds chat and embeddings URLs from %s', (_name, target, url) => {
    expect(azureOpenAiAdapter.buildChatRequest(chat({}), target, { stream: false }).url).toBe(url.replace('{op}', 'chat/completions'));
    expect(azureOpenAiAdapter.buildChatRequest(chat({}), target, { stream: true }).url).toBe(url.replace('{op}', 'chat/completions'));
    expect(azureOpenAiAdapter.buildEmbeddingsRequest(embeddings({}), target).url).toBe(url.replace('{op}', 'embeddings'));
  });

  it.each(['.', '..'])('refuses the deployment name %j, which URL normalisation would climb out of /deployments/ with', (deployment) => {
    const error = expect.objectContaining({ code: 'ERR_GATEWAY_UNSUPPORTED_PARAMETER', status: 400, param: 'model' });
    expect(() => azureOpenAiAdapter.buildChatRequest(chat({}), withAccount({}, deployment), { stream: false })).toThrow(error);
    expect(() => azureOpenAiAdapter.buildEmbeddingsRequest(embeddings({}), withAccount({}, deployment))).toThrow(error);
  });

  it.each<[string, string | null]>([
    ['no base URL', null],
    ['a blank base URL', ' '],
    ['a base URL with a query', 'https://res.openai.azure.com/?api-version=2024-10-21'],
  ])('refuses %s with ProviderConfigInvalid (Azure has no default host)', (_name, baseUrl) => {
    const error = expect.objectContaining({ name: 'ProviderConfigInvalid', code: 'ERR_GATEWAY_PROVIDER_CONFIG_INVALID' });
    expect(() => azureOpenAiAdapter.buildChatRequest(chat({}), withAccount({ baseUrl }), { stream: false })).toThrow(error);
    expect(() => azureOpenAiAdapter.buildEmbeddingsRequest(embeddings({}), withAccount({ baseUrl }))).toThrow(error);
  });

  it.each<[string, Record<string, unknown>]>([
    ['sampling parameters', { temperature: 0.2, top_p: 0.5, n: 2, stop: 'END', max_tokens: 10, max_completion_tokens: 20, presence_penalty: 0.5, frequency_penalty: -0.5, seed: 7 }],
    ['logprobs and logit_bias', { logprobs: true, top_logprobs: 3, logit_bias: { '50256': -100 } }],
    ['tools and tool_choice', { tools: [WEATHER_TOOL], tool_choice: 'required', parallel_tool_calls: false }],
    ['a json_schema response_format', { response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } } }],
    ['reasoning and metadata fields', { reasoning_effort: 'low', user: 'u-1', metadata: { a: 'b' }, store: false }],
    [
      'a multi-turn conversation with an image and a tool result',
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } }] },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
        ],
      },
    ],
  ])('passes %s through unchanged, without model', (_name, fields) => {
    const expected = { messages: HI, ...fields };
    expect(buildBody(fields, false)).toEqual(expected);
    expect(buildBody(fields, true)).toEqual({ ...expected, stream: true, stream_options: { include_usage: true } });
  });

  it.each<[string, Record<string, unknown>]>([
    ['no stream fields', {}],
    ['include_usage false', { stream: true, stream_options: { include_usage: false } }],
    ['stream false', { stream: false, stream_options: null }],
  ])('forces stream and include_usage for a stream whose client sent %s', (_name, fields) => {
    expect(buildBody(fields, true)).toEqual({ messages: HI, stream: true, stream_options: { include_usage: true } });
  });

  it('removes the stream fields from a JSON call', () => {
    expect(buildBody({ stream: true, stream_options: { include_usage: true } }, false)).toEqual({ messages: HI });
  });

  it.each<[string, Record<string, unknown>]>([
    ['a string', {}],
    ['strings with dimensions, base64 and user', { input: ['a', 'b'], dimensions: 256, encoding_format: 'base64', user: 'u-1' }],
    ['token ids', { input: [[1, 2], [3]] }],
  ])('posts embeddings of %s to the deployment without model', (_name, fields) => {
    const built = azureOpenAiAdapter.buildEmbeddingsRequest(embeddings(fields), TARGET);
    expect(built).toEqual({
      method: 'POST',
      url: `https://res.openai.azure.com/openai/deployments/gpt4o-prod/embeddings?api-version=${DEFAULT_VERSION}`,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: expect.any(String),
    });
    expect(JSON.parse(built.body ?? '')).toEqual({ input: 'hello world', ...fields });
  });
});

const FILTER_SAFE = { hate: { filtered: false, severity: 'safe' }, self_harm: { filtered: false, severity: 'safe' }, sexual: { filtered: false, severity: 'safe' }, violence: { filtered: false, severity: 'safe' } };
const PROMPT_FILTER = [{ prompt_index: 0, content_filter_results: FILTER_SAFE }];
const USAGE = { completion_tokens: 2, prompt_tokens: 8, total_tokens: 10, completion_tokens_details: { reasoning_tokens: 0 }, prompt_tokens_details: { cached_tokens: 0 } };

function azureCompletion(message: Record<string, unknown>, finish: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    choices: [{ content_filter_results: FILTER_SAFE, finish_reason: finish, index: 0, logprobs: null, message: { refusal: null, role: 'assistant', ...message } }],
    created: 1_727_000_000,
    id: 'chatcmpl-AZ1',
    model: 'gpt-4o-2024-08-06',
    object: 'chat.completion',
    prompt_filter_results: PROMPT_FILTER,
    system_fingerprint: 'fp_az',
    usage: USAGE,
    ...extra,
  };
}

describe('azure-openai response', () => {
  const TOOL_MESSAGE = { content: null, tool_calls: [{ id: 'call_z', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] };

  it.each<[string, Record<string, unknown>, unknown]>([
    ['a text answer, with Azure filter results kept', azureCompletion({ content: 'Hi' }, 'stop'), { ...azureCompletion({ content: 'Hi' }, 'stop'), model: REPLY.model }],
    ['a tool call', azureCompletion(TOOL_MESSAGE, 'tool_calls'), { ...azureCompletion(TOOL_MESSAGE, 'tool_calls'), model: REPLY.model }],
    ['a filtered answer (no content)', azureCompletion({}, 'content_filter'), { ...azureCompletion({}, 'content_filter'), model: REPLY.model }],
    ['a length stop', azureCompletion({ content: 'Hi' }, 'length'), { ...azureCompletion({ content: 'Hi' }, 'length'), model: REPLY.model }],
    [
      'no id and no created',
      azureCompletion({ content: 'Hi' }, 'stop', { id: undefined, created: undefined }),
      { ...azureCompletion({ content: 'Hi' }, 'stop'), id: REPLY.id, created: REPLY.created, model: REPLY.model },
    ],
  ])('translates %s', (_name, body, expected) => {
    expect(azureOpenAiAdapter.parseChatResponse(body, REPLY)).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ['an Azure error body', { error: { code: 'content_filter', message: 'The response was filtered' } }],
    ['no choices', { id: 'x', object: 'chat.completion', prompt_filter_results: PROMPT_FILTER }],
    ['a choice without a message', azureCompletion({}, 'stop', { choices: [{ index: 0, finish_reason: 'stop', content_filter_results: FILTER_SAFE }] })],
  ])('fails %s with UpstreamStreamError', (_name, body) => {
    expect(() => azureOpenAiAdapter.parseChatResponse(body, REPLY)).toThrow(UpstreamStreamError);
  });

  it('translates embeddings, base64 included, with usage', () => {
    const vector = [0.5, -0.25];
    const base64 = Buffer.from(new Float32Array(vector).buffer).toString('base64');
    const body = { data: [{ embedding: vector, index: 0, object: 'embedding' }], model: 'text-embedding-3-small', object: 'list', usage: { prompt_tokens: 2, total_tokens: 2 } };
    const expected = { object: 'list', data: [{ embedding: vector, index: 0, object: 'embedding' }], model: REPLY.model, usage: { prompt_tokens: 2, total_tokens: 2 } };
    expect(azureOpenAiAdapter.parseEmbeddingsResponse(body, REPLY, embeddings({}))).toEqual(expected);
    const encoded = { ...body, data: [{ ...body.data[0], embedding: base64 }] };
    const expectedBase64 = { ...expected, data: [{ ...expected.data[0], embedding: base64 }] };
    expect(azureOpenAiAdapter.parseEmbeddingsResponse(encoded, REPLY, embeddings({ encoding_format: 'base64' }))).toEqual(expectedBase64);
    expect(azureOpenAiAdapter.parseEmbeddingsResponse(body, REPLY, embeddings({ encoding_format: 'base64' }))).toEqual(expectedBase64);
  });
});

const encode = (text: string) => new TextEncoder().encode(text);
const data = (event: unknown) => `data: ${JSON.stringify(event)}\n\n`;
const STREAM_BASE = { created: 1_727_000_001, id: 'chatcmpl-AZ2', model: 'gpt-4o-2024-08-06', object: 'chat.completion.chunk', system_fingerprint: 'fp_az' };

function azureChunk(delta: Record<string, unknown>, finish: string | null = null, filter: Record<string, unknown> = {}) {
  return { ...STREAM_BASE, choices: [{ content_filter_results: filter, delta, finish_reason: finish, index: 0, logprobs: null }], usage: null };
}

function clientChunk(delta: Record<string, unknown>, finish: string | null = null, filter: Record<string, unknown> = {}) {
  return { ...STREAM_BASE, model: REPLY.model, choices: [{ content_filter_results: filter, delta, finish_reason: finish, index: 0, logprobs: null }] };
}

// Azure's first event: prompt filter results with no choices, and blank id/model/created.
const PROMPT_FILTER_CHUNK = { choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: PROMPT_FILTER };
// The asynchronous content filter's annotations: choices with filter offsets and no delta (or delta null).
const ANNOTATION = { choices: [{ content_filter_offsets: { check_offset: 2, start_offset: 2, end_offset: 8 }, content_filter_results: FILTER_SAFE, finish_reason: null, index: 0 }], created: 0, id: '', model: '', object: '', usage: null };
const NULL_DELTA_ANNOTATION = { ...ANNOTATION, choices: [{ ...ANNOTATION.choices[0], delta: null }] };

// Recorded from a gpt-4o deployment (api-version 2024-10-21), ids shortened, with async filtering on.
const AZURE_STREAM = [
  PROMPT_FILTER_CHUNK,
  azureChunk({ content: '', refusal: null, role: 'assistant' }),
  azureChunk({ content: 'Hé' }, null, FILTER_SAFE),
  azureChunk({ content: 'llo 👋' }, null, FILTER_SAFE),
  ANNOTATION,
  azureChunk({}, 'stop'),
  NULL_DELTA_ANNOTATION,
  { ...STREAM_BASE, choices: [], usage: USAGE },
]
  .map(data)
  .concat('data: [DONE]\n\n')
  .join('');
const AZURE_CHUNKS = [
  clientChunk({ content: '', refusal: null, role: 'assistant' }),
  clientChunk({ content: 'Hé' }, null, FILTER_SAFE),
  clientChunk({ content: 'llo 👋' }, null, FILTER_SAFE),
  clientChunk({}, 'stop'),
];

function translateStream(text: string, byteByByte: boolean): { chunks: unknown[]; translator: StreamTranslator } {
  const translator = azureOpenAiAdapter.createStreamTranslator(REPLY);
  const bytes = encode(text);
  const chunks: ChatCompletionChunk[] = [];
  if (byteByByte) for (let i = 0; i < bytes.length; i += 1) chunks.push(...translator.push(bytes.subarray(i, i + 1)));
  else chunks.push(...translator.push(bytes));
  chunks.push(...translator.finish());
  return { chunks: JSON.parse(JSON.stringify(chunks)) as unknown[], translator };
}

describe('azure-openai stream', () => {
  it.each<[string, string, boolean]>([
    ['whole', AZURE_STREAM, false],
    ['one byte at a time', AZURE_STREAM, true],
    ['whole, with \\r\\n line endings', AZURE_STREAM.replace(/\n/g, '\r\n'), false],
    ['one byte at a time, with \\r\\n line endings', AZURE_STREAM.replace(/\n/g, '\r\n'), true],
  ])('drops the prompt filter chunk, annotations and the usage chunk, fed %s', (_name, text, byteByByte) => {
    const { chunks, translator } = translateStream(text, byteByByte);
    expect(chunks).toStrictEqual(AZURE_CHUNKS);
    expect(translator.usage).toEqual(USAGE);
  });

  it('keeps a choice without a delta that ends the answer, with an empty delta', () => {
    const ending = { ...ANNOTATION, id: 'chatcmpl-AZ2', created: 1_727_000_001, choices: [{ ...ANNOTATION.choices[0], finish_reason: 'content_filter' }] };
    const { chunks } = translateStream(`${data(ending)}data: [DONE]\n\n`, false);
    expect(chunks).toStrictEqual([
      { ...ending, model: REPLY.model, object: 'chat.completion.chunk', choices: [{ ...ending.choices[0], delta: {} }], usage: undefined },
    ].map((chunk) => JSON.parse(JSON.stringify(chunk)) as unknown));
  });

  it("throws Azure's in-stream error as UpstreamStreamError with its message", () => {
    const translator = azureOpenAiAdapter.createStreamTranslator(REPLY);
    expect(translator.push(encode(data(PROMPT_FILTER_CHUNK) + data(azureChunk({ role: 'assistant', content: '' }))))).toHaveLength(1);
    expect(() => translator.push(encode(data({ error: { code: '500', message: 'The server had an error processing your request.' } })))).toThrow(
      new UpstreamStreamError('The server had an error processing your request.'),
    );
  });

  it('throws from finish() when the stream ends before [DONE]', () => {
    const translator = azureOpenAiAdapter.createStreamTranslator(REPLY);
    translator.push(encode(AZURE_STREAM.replace('data: [DONE]\n\n', '')));
    expect(() => translator.finish()).toThrow(new UpstreamStreamError('the upstream stream ended before it was complete'));
  });
});

describe('azure-openai round trip against the fake upstream', () => {
  const { fake, dispatcher } = useFakeUpstream();
  let target: ModelTarget;

  beforeAll(() => {
    target = { account: buildFakeAccount('azure-openai', fake.url), upstreamModel: 'model-a' };
  });

  const call = (built: UpstreamRequest) => sendSigned(target.account, built, dispatcher);

  it('answers a JSON chat with the echo text and usage, authenticated by api-key', async () => {
    const answer = await call(azureOpenAiAdapter.buildChatRequest(chat({}), target, { stream: false }));
    expect(answer.status).toBe(200);
    expect(azureOpenAiAdapter.parseChatResponse(JSON.parse(answer.text), REPLY)).toEqual({
      id: 'chatcmpl-fake0001',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: REPLY.model,
      choices: [{ index: 0, message: { role: 'assistant', content: 'Echo model-a: hi', refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 },
      system_fingerprint: 'fp_fake',
    });
    expect(fake.requests.at(-1)).toMatchObject({
      provider: 'azure-openai',
      url: `/openai/deployments/model-a/chat/completions?api-version=${DEFAULT_VERSION}`,
      presentedCredential: GOOD_KEYS['azure-openai'],
    });
  });

  it('reaches a deployment whose name needs encoding', async () => {
    const special = { ...target, upstreamModel: 'my deploy/1' };
    const answer = await call(azureOpenAiAdapter.buildChatRequest(chat({}), special, { stream: false }));
    expect(answer.status).toBe(200);
    expect(azureOpenAiAdapter.parseChatResponse(JSON.parse(answer.text), REPLY).choices[0]?.message.content).toBe('Echo my deploy/1: hi');
    expect(fake.requests.at(-1)?.url).toBe(`/openai/deployments/my%20deploy%2F1/chat/completions?api-version=${DEFAULT_VERSION}`);
  });

  it('answers a tool call when tools are offered', async () => {
    const answer = await call(azureOpenAiAdapter.buildChatRequest(chat({ tools: [WEATHER_TOOL] }), target, { stream: false }));
    const choice = azureOpenAiAdapter.parseChatResponse(JSON.parse(answer.text), REPLY).choices[0];
    expect(choice).toMatchObject({ message: { content: null, tool_calls: [{ id: FAKE_TOOL_CALL_ID, type: 'function', function: { name: 'get_weather', arguments: FAKE_TOOL_ARGUMENTS } }] }, finish_reason: 'tool_calls' });
    expect(JSON.parse(choice?.message.tool_calls?.[0]?.function.arguments ?? '')).toEqual({ city: 'Paris' });
  });

  async function streamChat(fields: Record<string, unknown>): Promise<{ chunks: ChatCompletionChunk[]; translator: StreamTranslator }> {
    const answer = await call(azureOpenAiAdapter.buildChatRequest(chat(fields), target, { stream: true }));
    expect(answer.status).toBe(200);
    const translator = azureOpenAiAdapter.createStreamTranslator(REPLY);
    const chunks = answer.pieces.flatMap((piece) => translator.push(piece));
    return { chunks: [...chunks, ...translator.finish()], translator };
  }

  it('streams the echo text with usage recorded aside', async () => {
    const { chunks, translator } = await streamChat({});
    expect(JSON.parse(fake.requests.at(-1)?.body ?? '')).toEqual({ messages: HI, stream: true, stream_options: { include_usage: true } });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Echo model-a: hi');
    expect(chunks.every((c) => c.model === REPLY.model && c.id === 'chatcmpl-fake0001')).toBe(true);
    expect(chunks.at(-1)?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(translator.usage).toEqual({ prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 });
  });

  it('streams a tool call', async () => {
    const { chunks } = await streamChat({ tools: [WEATHER_TOOL] });
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]).toEqual({ index: 0, id: FAKE_TOOL_CALL_ID, type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(deltas.map((d) => d.function?.arguments ?? '').join('')).toBe(FAKE_TOOL_ARGUMENTS);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('embeds texts on the deployment, as floats and as base64', async () => {
    const request = embeddings({ input: ['hello world', 'hi'] });
    const answer = await call(azureOpenAiAdapter.buildEmbeddingsRequest(request, target));
    expect(answer.status).toBe(200);
    expect(azureOpenAiAdapter.parseEmbeddingsResponse(JSON.parse(answer.text), REPLY, request)).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: fakeEmbedding('hello world') },
        { object: 'embedding', index: 1, embedding: fakeEmbedding('hi') },
      ],
      model: REPLY.model,
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
    expect(fake.requests.at(-1)?.url).toBe(`/openai/deployments/model-a/embeddings?api-version=${DEFAULT_VERSION}`);
    const base64 = embeddings({ input: 'hello', encoding_format: 'base64', dimensions: 4 });
    const encoded = azureOpenAiAdapter.parseEmbeddingsResponse(JSON.parse((await call(azureOpenAiAdapter.buildEmbeddingsRequest(base64, target))).text), REPLY, base64);
    const decoded = Array.from(new Float32Array(Uint8Array.from(Buffer.from(encoded.data[0]?.embedding as string, 'base64')).buffer));
    expect(decoded).toEqual(fakeEmbedding('hello', 4).map(Math.fround));
  });

  it('uses the account api-version', async () => {
    const versioned = { ...target, account: { ...target.account, apiVersion: '2025-01-01-preview' } };
    expect((await call(azureOpenAiAdapter.buildChatRequest(chat({}), versioned, { stream: false }))).status).toBe(200);
    expect(fake.requests.at(-1)?.url).toBe('/openai/deployments/model-a/chat/completions?api-version=2025-01-01-preview');
  });

  it("turns the upstream's in-stream error into UpstreamStreamError with its message", async () => {
    fake.setMode({ kind: 'error-mid-stream', afterChunks: 2 });
    await expect(streamChat({})).rejects.toThrow(new UpstreamStreamError('The server had an error while processing your request.'));
  });

  it('fails a stream whose connection is reset mid-way', async () => {
    fake.setMode({ kind: 'reset-mid-stream', afterChunks: 2 });
    await expect(streamChat({})).rejects.toThrow(new UpstreamStreamError('the upstream stream ended before it was complete'));
  });

  it('the fake refuses a model in the body of a deployment call, as Azure does', async () => {
    const built = azureOpenAiAdapter.buildChatRequest(chat({}), target, { stream: false });
    const answer = await call({ ...built, body: JSON.stringify({ model: 'model-a', messages: HI }) });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ error: { param: 'model' } });
  });
});
