// The google-gemini adapter: OpenAI requests to generateContent bodies, Gemini answers and SSE streams
// back to OpenAI shapes, embeddings, and round trips against the fake Gemini (which rejects bad bodies).
import { RequestInvalid, UnsupportedParameter } from '@api/errors';
import { chatCompletionRequest, type ChatCompletionRequest } from '@api/gateway/openai/chat-request';
import { embeddingsRequest } from '@api/gateway/openai/embeddings-request';
import type { ChatCompletionChunk } from '@api/gateway/openai/responses';
import type { ModelTarget, ReplyContext } from '@api/gateway/providers/adapter';
import { googleGeminiAdapter as adapter } from '@api/gateway/providers/google-gemini';
import { getProviderApi } from '@api/gateway/providers';
import type { UpstreamRequest } from '@api/gateway/providers/types';
import { UpstreamStreamError } from '@api/gateway/upstream-stream-error';
import { GOOD_KEYS, buildFakeAccount, buildGoodCredential } from '@tests/fixtures/fake-upstream/accounts';
import { FAKE_TOOL_ARGUMENTS, fakeEmbedding } from '@tests/fixtures/fake-upstream/chat-script';
import { sendSigned, useFakeUpstream } from '@tests/fixtures/provider-round-trip';

const BASE = 'https://generativelanguage.googleapis.com';
const TARGET: ModelTarget = { account: { type: 'google-gemini', baseUrl: null, region: null, apiVersion: null }, upstreamModel: 'gemini-2.5-flash' };
const REPLY: ReplyContext = { model: 'gemini-main', id: 'chatcmpl-gateway0001', created: 1_700_000_123 };
const SIGNATURE = 'skip_thought_signature_validator';
const WEATHER_TOOL = { type: 'function', function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } } };
const WEATHER_DECLARATION = { name: 'get_weather', description: 'Weather in a city', parametersJsonSchema: WEATHER_TOOL.function.parameters };
const PNG = 'iVBORw0KGgoAAAANSUhEUg==';

function chat(fields: Record<string, unknown> = {}): ChatCompletionRequest {
  return chatCompletionRequest.parse({ model: 'gemini-main', messages: [{ role: 'user', content: 'hi' }], ...fields });
}

function bodyOf(request: UpstreamRequest): unknown {
  return JSON.parse(request.body ?? 'null');
}

function buildBody(fields: Record<string, unknown>): unknown {
  return bodyOf(adapter.buildChatRequest(chat(fields), TARGET, { stream: false }));
}

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

const HI = [{ role: 'user', parts: [{ text: 'hi' }] }];
const TOOL_TURNS = [
  { role: 'user', content: 'Weather in Paris and Rome?' },
  {
    role: 'assistant',
    content: null,
    tool_calls: [
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } },
    ],
  },
  { role: 'tool', tool_call_id: 'call_a', content: '{"temp":21}' },
  { role: 'tool', tool_call_id: 'call_b', content: [{ type: 'text', text: 'noon' }] },
  { role: 'user', content: 'Thanks' },
];

describe('google-gemini request: where it goes', () => {
  it('posts generateContent on the default base, with no credential anywhere', () => {
    const built = adapter.buildChatRequest(chat(), TARGET, { stream: false });
    expect(built).toMatchObject({ method: 'POST', url: `${BASE}/v1beta/models/gemini-2.5-flash:generateContent` });
    expect(built.headers).toEqual({ 'content-type': 'application/json', accept: 'application/json' });
    expect(built.url).not.toMatch(/[?&]key=/);
  });

  it('streams from streamGenerateContent with alt=sse and never puts key= in the URL', () => {
    const built = adapter.buildChatRequest(chat({ stream: true }), TARGET, { stream: true });
    expect(built.url).toBe(`${BASE}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`);
    expect(built.url).not.toMatch(/key=/);
    expect(built.headers).toEqual({ 'content-type': 'application/json', accept: 'text/event-stream' });
  });

  it.each([
    ['an account base with a path', { baseUrl: 'https://proxy.example/gemini/' }, 'gemini-2.5-flash', 'https://proxy.example/gemini/v1beta/models/gemini-2.5-flash:generateContent'],
    ['a "models/" alias', {}, 'models/gemini-2.0-flash', `${BASE}/v1beta/models/gemini-2.0-flash:generateContent`],
    ['a model id needing encoding', {}, 'my model?x', `${BASE}/v1beta/models/my%20model%3Fx:generateContent`],
  ])('builds the URL for %s', (_name, account, upstreamModel, url) => {
    const target = { account: { ...TARGET.account, ...account }, upstreamModel };
    expect(adapter.buildChatRequest(chat(), target, { stream: false }).url).toBe(url);
  });

  it('gets the key only from api.ts, in x-goog-api-key', async () => {
    const built = adapter.buildChatRequest(chat(), TARGET, { stream: false });
    const signed = await getProviderApi('google-gemini').applyUpstreamAuth(built, TARGET.account, buildGoodCredential('google-gemini'));
    expect(signed.headers['x-goog-api-key']).toBe(GOOD_KEYS['google-gemini']);
    expect(signed.url).toBe(built.url);
  });
});

describe('google-gemini request: body', () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    ['a single user message', {}, { contents: HI }],
    [
      'system and developer messages as one systemInstruction',
      { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'developer', content: [{ type: 'text', text: 'Use French.' }] }, { role: 'user', content: 'hi' }] },
      { systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Use French.' }] }, contents: HI },
    ],
    [
      'a multi-turn conversation (assistant is model, names dropped)',
      { messages: [{ role: 'user', content: 'hi', name: 'ann' }, { role: 'assistant', content: 'Hello!' }, { role: 'user', content: 'again' }] },
      { contents: [{ role: 'user', parts: [{ text: 'hi' }] }, { role: 'model', parts: [{ text: 'Hello!' }] }, { role: 'user', parts: [{ text: 'again' }] }] },
    ],
    [
      'consecutive same-role messages merged, empty text skipped',
      { messages: [{ role: 'user', content: 'one' }, { role: 'user', content: '' }, { role: 'user', content: 'two' }] },
      { contents: [{ role: 'user', parts: [{ text: 'one' }, { text: 'two' }] }] },
    ],
    [
      'inline image, audio and file parts',
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: `data:image/PNG;base64,${PNG}`, detail: 'high' } },
              { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
              { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
            ],
          },
        ],
      },
      {
        contents: [
          {
            role: 'user',
            parts: [
              { text: 'What is this?' },
              { inlineData: { mimeType: 'image/png', data: PNG } },
              { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
              { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
            ],
          },
        ],
      },
    ],
    [
      'tool calls and their results (names looked up by id, signature on the first call, results merged with the next user turn)',
      { messages: TOOL_TURNS },
      {
        contents: [
          { role: 'user', parts: [{ text: 'Weather in Paris and Rome?' }] },
          {
            role: 'model',
            parts: [
              { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: SIGNATURE },
              { functionCall: { name: 'get_time', args: {} } },
            ],
          },
          {
            role: 'user',
            parts: [
              { functionResponse: { name: 'get_weather', response: { content: { temp: 21 } } } },
              { functionResponse: { name: 'get_time', response: { content: 'noon' } } },
              { text: 'Thanks' },
            ],
          },
        ],
      },
    ],
    [
      'an assistant turn with text and a call, and a refusal kept as text',
      {
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: [{ type: 'text', text: 'Checking.' }], tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'c1', content: 'done' },
          { role: 'assistant', content: null, refusal: 'I cannot.' },
        ],
      },
      {
        contents: [
          { role: 'user', parts: [{ text: 'a' }] },
          { role: 'model', parts: [{ text: 'Checking.' }, { functionCall: { name: 'f', args: {} }, thoughtSignature: SIGNATURE }] },
          { role: 'user', parts: [{ functionResponse: { name: 'f', response: { content: 'done' } } }] },
          { role: 'model', parts: [{ text: 'I cannot.' }] },
        ],
      },
    ],
    [
      'tool declarations with tool_choice auto',
      { tools: [WEATHER_TOOL], tool_choice: 'auto' },
      { contents: HI, tools: [{ functionDeclarations: [WEATHER_DECLARATION] }], toolConfig: { functionCallingConfig: { mode: 'AUTO' } } },
    ],
    [
      'a tool without description or parameters, tool_choice none',
      { tools: [{ type: 'function', function: { name: 'ping', strict: true } }], tool_choice: 'none' },
      { contents: HI, tools: [{ functionDeclarations: [{ name: 'ping' }] }], toolConfig: { functionCallingConfig: { mode: 'NONE' } } },
    ],
    [
      'tool_choice required as ANY',
      { tools: [WEATHER_TOOL], tool_choice: 'required' },
      { contents: HI, tools: [{ functionDeclarations: [WEATHER_DECLARATION] }], toolConfig: { functionCallingConfig: { mode: 'ANY' } } },
    ],
    [
      'a named tool_choice as ANY with allowedFunctionNames',
      { tools: [WEATHER_TOOL], tool_choice: { type: 'function', function: { name: 'get_weather' } } },
      { contents: HI, tools: [{ functionDeclarations: [WEATHER_DECLARATION] }], toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } } },
    ],
    [
      'every sampling setting',
      { temperature: 0.3, top_p: 0.9, max_completion_tokens: 200, max_tokens: 50, stop: ['END', 'STOP'], n: 2, seed: 7, presence_penalty: 0.5, frequency_penalty: -0.5 },
      {
        contents: HI,
        generationConfig: { temperature: 0.3, topP: 0.9, maxOutputTokens: 200, stopSequences: ['END', 'STOP'], candidateCount: 2, seed: 7, presencePenalty: 0.5, frequencyPenalty: -0.5 },
      },
    ],
    ['max_tokens when max_completion_tokens is absent, a single stop string', { max_tokens: 50, stop: 'END' }, { contents: HI, generationConfig: { maxOutputTokens: 50, stopSequences: ['END'] } }],
    ['null settings left out', { temperature: null, stop: null, n: null, seed: null, response_format: { type: 'text' } }, { contents: HI }],
    ['json_object as a JSON mime type', { response_format: { type: 'json_object' } }, { contents: HI, generationConfig: { responseMimeType: 'application/json' } }],
    [
      'json_schema as responseJsonSchema, unchanged',
      { response_format: { type: 'json_schema', json_schema: { name: 'w', strict: true, schema: { type: 'object', properties: { t: { type: 'number' } }, additionalProperties: false } } } },
      { contents: HI, generationConfig: { responseMimeType: 'application/json', responseJsonSchema: { type: 'object', properties: { t: { type: 'number' } }, additionalProperties: false } } },
    ],
    ['logprobs with top_logprobs', { logprobs: true, top_logprobs: 3 }, { contents: HI, generationConfig: { responseLogprobs: true, logprobs: 3 } }],
    ['logprobs without top_logprobs', { logprobs: true, top_logprobs: 0 }, { contents: HI, generationConfig: { responseLogprobs: true } }],
    ['reasoning_effort as a thinking level', { reasoning_effort: 'low' }, { contents: HI, generationConfig: { thinkingConfig: { thinkingLevel: 'low' } } }],
    [
      'harmless metadata dropped',
      {
        user: 'u1', safety_identifier: 's', prompt_cache_key: 'k', metadata: { a: 'b' }, store: false, service_tier: 'auto',
        stream_options: { include_usage: true }, parallel_tool_calls: true, modalities: ['text'],
      },
      { contents: HI },
    ],
  ])('maps %s', (_name, fields, expected) => {
    expect(buildBody(fields)).toEqual(expected);
  });

  it('builds the same body for a stream', () => {
    const fields = { tools: [WEATHER_TOOL], temperature: 0.1 };
    expect(bodyOf(adapter.buildChatRequest(chat(fields), TARGET, { stream: true }))).toEqual(buildBody(fields));
  });
});

describe('google-gemini request: refusals', () => {
  const userWith = (part: unknown) => ({ messages: [{ role: 'user', content: [part] }] });

  it.each<[string, string, Record<string, unknown>]>([
    ['logit_bias', 'logit_bias', { logit_bias: { '42': 10 } }],
    ['audio output', 'audio', { audio: { voice: 'alloy', format: 'mp3' } }],
    ['audio modality', 'modalities', { modalities: ['text', 'audio'] }],
    ['prediction', 'prediction', { prediction: { type: 'content', content: 'x' } }],
    ['verbosity', 'verbosity', { verbosity: 'low' }],
    ['web_search_options', 'web_search_options', { web_search_options: {} }],
    ['legacy functions', 'functions', { functions: [{ name: 'f' }] }],
    ['legacy function_call', 'function_call', { function_call: 'auto' }],
    ['parallel_tool_calls false', 'parallel_tool_calls', { parallel_tool_calls: false, tools: [WEATHER_TOOL] }],
    ['an http image URL', 'messages', userWith({ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } })],
    ['a data URL that is not base64', 'messages', userWith({ type: 'image_url', image_url: { url: 'data:image/svg+xml,<svg/>' } })],
    ['an OpenAI file id', 'messages', userWith({ type: 'file', file: { file_id: 'file-123' } })],
    ['a legacy function message', 'messages', { messages: [{ role: 'user', content: 'a' }, { role: 'function', name: 'f', content: 'x' }] }],
    ['an assistant audio reference', 'messages', { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', audio: { id: 'audio_1' } }] }],
    ['an assistant legacy function_call', 'messages', { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', function_call: { name: 'f', arguments: '{}' } }] }],
  ])('refuses %s with UnsupportedParameter', (_name, param, fields) => {
    const error = catchError(() => buildBody(fields));
    expect(error).toBeInstanceOf(UnsupportedParameter);
    expect(error).toMatchObject({ param, status: 400, code: 'ERR_GATEWAY_UNSUPPORTED_PARAMETER' });
    expect((error as Error).message).toContain('google-gemini');
  });

  it.each<[string, string, Record<string, unknown>]>([
    ['a tool result for no earlier call', 'messages', { messages: [{ role: 'user', content: 'a' }, { role: 'tool', tool_call_id: 'call_x', content: 'r' }] }],
    [
      'tool call arguments that are not JSON',
      'messages',
      { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{oops' } }] }] },
    ],
    [
      'tool call arguments that are not an object',
      'messages',
      { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1]' } }] }] },
    ],
    ['top_logprobs without logprobs', 'top_logprobs', { top_logprobs: 2 }],
  ])('rejects %s as an invalid request', (_name, param, fields) => {
    const error = catchError(() => buildBody(fields));
    expect(error).toBeInstanceOf(RequestInvalid);
    expect(error).toMatchObject({ param, status: 400 });
  });
});

const USAGE = { promptTokenCount: 5, candidatesTokenCount: 3, totalTokenCount: 8 };
const candidate = (parts: unknown[], finishReason = 'STOP', extra: Record<string, unknown> = {}) => ({ content: { role: 'model', parts }, finishReason, ...extra });

describe('google-gemini response', () => {
  it.each<[string, unknown, Record<string, unknown>]>([
    [
      'text parts joined, thought parts hidden, responseId as id',
      { candidates: [candidate([{ text: 'secret plan', thought: true }, { text: 'Hello' }, { text: ', world' }])], usageMetadata: USAGE, modelVersion: 'gemini-2.5-flash-001', responseId: 'resp-1' },
      {
        id: 'resp-1',
        object: 'chat.completion',
        created: REPLY.created,
        model: 'gemini-main',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hello, world' }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
      },
    ],
    [
      'function calls with generated ids',
      { candidates: [candidate([{ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'c2ln' }, { functionCall: { name: 'get_time' } }])], usageMetadata: USAGE },
      {
        id: REPLY.id,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: null,
              tool_calls: [
                { id: 'call_0_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
                { id: 'call_0_1', type: 'function', function: { name: 'get_time', arguments: '{}' } },
              ],
            },
            finish_reason: 'tool_calls',
            logprobs: null,
          },
        ],
      },
    ],
    [
      'text and a call together',
      { candidates: [candidate([{ text: 'Let me check.' }, { functionCall: { name: 'f', args: {} } }])] },
      { choices: [{ index: 0, message: { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'call_0_0', type: 'function', function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'tool_calls', logprobs: null }] },
    ],
    [
      'several candidates, index 0 left out as proto3 does',
      { candidates: [candidate([{ text: 'A' }]), candidate([{ text: 'B' }], 'MAX_TOKENS', { index: 1 })] },
      {
        choices: [
          { index: 0, message: { role: 'assistant', content: 'A' }, finish_reason: 'stop', logprobs: null },
          { index: 1, message: { role: 'assistant', content: 'B' }, finish_reason: 'length', logprobs: null },
        ],
      },
    ],
    [
      'a prompt Gemini blocked',
      { promptFeedback: { blockReason: 'SAFETY', safetyRatings: [] }, usageMetadata: { promptTokenCount: 4, totalTokenCount: 4 } },
      { choices: [{ index: 0, message: { role: 'assistant', content: null }, finish_reason: 'content_filter', logprobs: null }], usage: { prompt_tokens: 4, completion_tokens: 0, total_tokens: 4 } },
    ],
    [
      'thinking, cached and tool-use tokens',
      { candidates: [candidate([{ text: 'x' }])], usageMetadata: { promptTokenCount: 10, cachedContentTokenCount: 6, toolUsePromptTokenCount: 2, candidatesTokenCount: 3, thoughtsTokenCount: 7, totalTokenCount: 22 } },
      { usage: { prompt_tokens: 12, completion_tokens: 10, total_tokens: 22, prompt_tokens_details: { cached_tokens: 6 }, completion_tokens_details: { reasoning_tokens: 7 } } },
    ],
    [
      'logprobs',
      {
        candidates: [
          candidate([{ text: 'Hi' }], 'STOP', {
            logprobsResult: {
              topCandidates: [{ candidates: [{ token: 'Hi', logProbability: -0.1 }, { token: 'Hé', logProbability: -2.5 }] }],
              chosenCandidates: [{ token: 'Hi', logProbability: -0.1 }],
            },
          }),
        ],
      },
      {
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Hi' },
            finish_reason: 'stop',
            logprobs: {
              content: [{ token: 'Hi', logprob: -0.1, bytes: [72, 105], top_logprobs: [{ token: 'Hi', logprob: -0.1, bytes: [72, 105] }, { token: 'Hé', logprob: -2.5, bytes: [72, 195, 169] }] }],
              refusal: null,
            },
          },
        ],
      },
    ],
  ])('translates %s', (_name, body, expected) => {
    expect(adapter.parseChatResponse(body, REPLY)).toMatchObject(expected);
  });

  it.each([
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['BLOCKLIST', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['SPII', 'content_filter'],
    ['LANGUAGE', 'stop'],
    ['OTHER', 'stop'],
    ['MALFORMED_FUNCTION_CALL', 'stop'],
  ])('maps finishReason %s to %s', (reason, expected) => {
    const parts = reason === 'SAFETY' ? [] : [{ text: 'x' }];
    const completion = adapter.parseChatResponse({ candidates: [candidate(parts, reason)] }, REPLY);
    expect(completion.choices[0]?.finish_reason).toBe(expected);
  });

  it('omits usage when Gemini sent none', () => {
    expect(adapter.parseChatResponse({ candidates: [candidate([{ text: 'x' }])] }, REPLY).usage).toBeUndefined();
  });

  it.each([['null', null], ['no candidates', { usageMetadata: USAGE }], ['an array', []]])('refuses an answer with %s', (_name, body) => {
    expect(() => adapter.parseChatResponse(body, REPLY)).toThrow(UpstreamStreamError);
  });
});

const sse = (...events: unknown[]): string => events.map((event) => `data: ${typeof event === 'string' ? event : JSON.stringify(event)}\r\n\r\n`).join('');
const textEvent = (text: string, extra: Record<string, unknown> = {}, usage: unknown = { promptTokenCount: 5, totalTokenCount: 5 }) => ({
  candidates: [{ content: { role: 'model', parts: [{ text }] }, ...extra }],
  usageMetadata: usage,
  modelVersion: 'gemini-2.5-flash',
  responseId: 'resp-s',
});

function runStream(body: string, split: 'whole' | 'bytes'): { chunks: ChatCompletionChunk[]; translator: ReturnType<typeof adapter.createStreamTranslator> } {
  const translator = adapter.createStreamTranslator(REPLY);
  const bytes = new TextEncoder().encode(body);
  const chunks: ChatCompletionChunk[] = [];
  if (split === 'whole') chunks.push(...translator.push(bytes));
  else for (let at = 0; at < bytes.length; at += 1) chunks.push(...translator.push(bytes.subarray(at, at + 1)));
  chunks.push(...translator.finish());
  return { chunks, translator };
}

const deltas = (chunks: ChatCompletionChunk[]) => chunks.map((chunk) => ({ ...chunk.choices[0]! }));
const ROLE = { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null };
const STREAMS: Record<string, { body: string; deltas: unknown[]; usage: unknown }> = {
  text: {
    body: sse(textEvent('Héllo 🌍'), textEvent(' wörld', { finishReason: 'STOP' }, USAGE)),
    deltas: [
      ROLE,
      { index: 0, delta: { content: 'Héllo 🌍' }, finish_reason: null, logprobs: null },
      { index: 0, delta: { content: ' wörld' }, finish_reason: null, logprobs: null },
      { index: 0, delta: {}, finish_reason: 'stop', logprobs: null },
    ],
    usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
  },
  'tool calls': {
    body: sse({
      candidates: [{ content: { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'c2ln' }, { functionCall: { name: 'get_time', args: {} } }] }, finishReason: 'STOP' }],
      usageMetadata: { ...USAGE, thoughtsTokenCount: 4, totalTokenCount: 12 },
    }),
    deltas: [
      ROLE,
      { index: 0, delta: { tool_calls: [{ index: 0, id: 'call_0_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }, finish_reason: null, logprobs: null },
      { index: 0, delta: { tool_calls: [{ index: 1, id: 'call_0_1', type: 'function', function: { name: 'get_time', arguments: '{}' } }] }, finish_reason: null, logprobs: null },
      { index: 0, delta: {}, finish_reason: 'tool_calls', logprobs: null },
    ],
    usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12, completion_tokens_details: { reasoning_tokens: 4 } },
  },
  'length, then a trailing usage-only event': {
    body: sse(textEvent('cut', { finishReason: 'MAX_TOKENS' }), { usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 9, totalTokenCount: 14 } }),
    deltas: [ROLE, { index: 0, delta: { content: 'cut' }, finish_reason: null, logprobs: null }, { index: 0, delta: {}, finish_reason: 'length', logprobs: null }],
    usage: { prompt_tokens: 5, completion_tokens: 9, total_tokens: 14 },
  },
  'a safety stop with no content': {
    body: sse({ candidates: [{ finishReason: 'SAFETY', safetyRatings: [] }], usageMetadata: { promptTokenCount: 5, totalTokenCount: 5 } }),
    deltas: [ROLE, { index: 0, delta: {}, finish_reason: 'content_filter', logprobs: null }],
    usage: { prompt_tokens: 5, completion_tokens: 0, total_tokens: 5 },
  },
  'a blocked prompt': {
    body: sse({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 5, totalTokenCount: 5 } }),
    deltas: [ROLE, { index: 0, delta: {}, finish_reason: 'content_filter', logprobs: null }],
    usage: { prompt_tokens: 5, completion_tokens: 0, total_tokens: 5 },
  },
  'two candidates': {
    body: sse(
      { candidates: [{ content: { parts: [{ text: 'A' }] } }, { index: 1, content: { parts: [{ text: 'B' }] } }] },
      { candidates: [{ content: { parts: [{ text: '!' }] }, finishReason: 'STOP' }, { index: 1, content: { parts: [{ text: '?' }] }, finishReason: 'STOP' }], usageMetadata: USAGE },
    ),
    deltas: [
      ROLE,
      { index: 0, delta: { content: 'A' }, finish_reason: null, logprobs: null },
      { ...ROLE, index: 1 },
      { index: 1, delta: { content: 'B' }, finish_reason: null, logprobs: null },
      { index: 0, delta: { content: '!' }, finish_reason: null, logprobs: null },
      { index: 0, delta: {}, finish_reason: 'stop', logprobs: null },
      { index: 1, delta: { content: '?' }, finish_reason: null, logprobs: null },
      { index: 1, delta: {}, finish_reason: 'stop', logprobs: null },
    ],
    usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
  },
};

describe('google-gemini stream', () => {
  it.each(Object.keys(STREAMS))('translates %s', (name) => {
    const recorded = STREAMS[name]!;
    const { chunks, translator } = runStream(recorded.body, 'whole');
    expect(deltas(chunks)).toEqual(recorded.deltas);
    expect(translator.usage).toEqual(recorded.usage);
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ object: 'chat.completion.chunk', model: 'gemini-main', created: REPLY.created });
      expect(chunk.usage).toBeUndefined();
      expect(chunk.choices).toHaveLength(1);
    }
  });

  it.each(Object.keys(STREAMS))('gives the same chunks for %s fed one byte at a time', (name) => {
    const recorded = STREAMS[name]!;
    expect(runStream(recorded.body, 'bytes').chunks).toEqual(runStream(recorded.body, 'whole').chunks);
  });

  it('keeps the first event id for every chunk, or the gateway id when Gemini gives none', () => {
    expect(runStream(STREAMS.text!.body, 'whole').chunks.map((chunk) => chunk.id)).toEqual(Array(4).fill('resp-s'));
    expect(runStream(STREAMS['tool calls']!.body, 'whole').chunks.map((chunk) => chunk.id)).toEqual(Array(4).fill(REPLY.id));
  });

  it('passes logprobs on content deltas', () => {
    const logprobsResult = { topCandidates: [{ candidates: [{ token: 'ok', logProbability: -0.5 }] }], chosenCandidates: [{ token: 'ok', logProbability: -0.5 }] };
    const { chunks } = runStream(sse(textEvent('ok', { finishReason: 'STOP', logprobsResult })), 'whole');
    expect(chunks[1]?.choices[0]?.logprobs).toEqual({ content: [{ token: 'ok', logprob: -0.5, bytes: [111, 107], top_logprobs: [{ token: 'ok', logprob: -0.5, bytes: [111, 107] }] }], refusal: null });
  });

  it.each([
    ['at once', sse({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } })],
    ['after content', sse(textEvent('Hel'), { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } })],
  ])('throws UpstreamStreamError on an error event %s', (_name, body) => {
    const translator = adapter.createStreamTranslator(REPLY);
    const error = catchError(() => translator.push(new TextEncoder().encode(body)));
    expect(error).toBeInstanceOf(UpstreamStreamError);
    expect(error).toMatchObject({ message: 'The model is overloaded. Please try again later.', status: 503 });
  });

  it('throws UpstreamStreamError on an event that is not JSON', () => {
    expect(() => adapter.createStreamTranslator(REPLY).push(new TextEncoder().encode(sse('{not json')))).toThrow(UpstreamStreamError);
  });

  it.each([
    ['an empty body', ''],
    ['no finishReason at all', sse(textEvent('Hel'), textEvent('lo'))],
    ['one of two candidates unfinished', sse({ candidates: [{ content: { parts: [{ text: 'A' }] }, finishReason: 'STOP' }, { index: 1, content: { parts: [{ text: 'B' }] } }] })],
    ['a final event cut mid-line', `${sse(textEvent('Hel'))}data: {"candidates":[{"finishReason":"ST`],
  ])('finish() throws UpstreamStreamError after %s', (_name, body) => {
    const translator = adapter.createStreamTranslator(REPLY);
    translator.push(new TextEncoder().encode(body));
    expect(() => translator.finish()).toThrow(new UpstreamStreamError('the upstream stream ended before it was complete'));
  });
});

describe('google-gemini embeddings', () => {
  const embed = (fields: Record<string, unknown>) => embeddingsRequest.parse({ model: 'gemini-embed', ...fields });
  const EMBED_TARGET = { ...TARGET, upstreamModel: 'gemini-embedding-001' };

  it.each<[string, Record<string, unknown>, unknown]>([
    ['one string', { input: 'hello' }, { requests: [{ model: 'models/gemini-embedding-001', content: { parts: [{ text: 'hello' }] } }] }],
    [
      'several strings with dimensions, user dropped',
      { input: ['a', 'b'], dimensions: 256, user: 'u1' },
      {
        requests: [
          { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] }, outputDimensionality: 256 },
          { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'b' }] }, outputDimensionality: 256 },
        ],
      },
    ],
  ])('maps %s to batchEmbedContents', (_name, fields, expected) => {
    const built = adapter.buildEmbeddingsRequest(embed(fields), EMBED_TARGET);
    expect(built).toMatchObject({ method: 'POST', url: `${BASE}/v1beta/models/gemini-embedding-001:batchEmbedContents` });
    expect(built.url).not.toMatch(/key=/);
    expect(bodyOf(built)).toEqual(expected);
  });

  it.each([
    ['token ids', { input: [1, 2, 3] }],
    ['batches of token ids', { input: [[1], [2]] }],
    ['more than 100 inputs', { input: Array.from({ length: 101 }, (_, index) => `t${index}`) }],
  ])('refuses %s with UnsupportedParameter(input)', (_name, fields) => {
    const error = catchError(() => adapter.buildEmbeddingsRequest(embed(fields), EMBED_TARGET));
    expect(error).toBeInstanceOf(UnsupportedParameter);
    expect(error).toMatchObject({ param: 'input' });
  });

  it('translates vectors as floats or base64 float32, usage left to the gateway', () => {
    const body = { embeddings: [{ values: [0.5, -1] }, { values: [0.25, 2] }] };
    expect(adapter.parseEmbeddingsResponse(body, REPLY, embed({ input: ['a', 'b'] }))).toEqual({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.5, -1] }, { object: 'embedding', index: 1, embedding: [0.25, 2] }],
      model: 'gemini-main',
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
    const base64 = adapter.parseEmbeddingsResponse(body, REPLY, embed({ input: ['a', 'b'], encoding_format: 'base64' }));
    expect(base64.data[0]?.embedding).toBe(Buffer.from(new Float32Array([0.5, -1]).buffer).toString('base64'));
  });

  it.each([
    ['no embeddings', {}],
    ['a count that does not match the inputs', { embeddings: [{ values: [1] }] }],
    ['an embedding without values', { embeddings: [{}, { values: [1] }] }],
  ])('refuses an answer with %s', (_name, body) => {
    expect(() => adapter.parseEmbeddingsResponse(body, REPLY, embed({ input: ['a', 'b'] }))).toThrow(UpstreamStreamError);
  });
});

describe('google-gemini round trip against the fake Gemini', () => {
  const { fake, dispatcher } = useFakeUpstream();
  let target: ModelTarget;

  beforeAll(() => {
    target = { account: buildFakeAccount('google-gemini', fake.url), upstreamModel: 'gemini-2.5-flash' };
  });

  const send = (built: UpstreamRequest) => sendSigned(target.account, built, dispatcher);

  async function complete(fields: Record<string, unknown>) {
    const response = await send(adapter.buildChatRequest(chat(fields), target, { stream: false }));
    const body: unknown = JSON.parse(response.text);
    expect({ status: response.status, body }).toMatchObject({ status: 200 });
    return adapter.parseChatResponse(body, REPLY);
  }

  async function stream(fields: Record<string, unknown>) {
    const response = await send(adapter.buildChatRequest(chat({ ...fields, stream: true }), target, { stream: true }));
    expect(response.status).toBe(200);
    const translator = adapter.createStreamTranslator(REPLY);
    const chunks: ChatCompletionChunk[] = [];
    for (const bytes of response.pieces) chunks.push(...translator.push(bytes));
    chunks.push(...translator.finish());
    return { chunks, usage: translator.usage, contentType: response.headers['content-type'] };
  }

  function lastRecorded() {
    const recorded = fake.requests.at(-1);
    if (!recorded) throw new Error('the fake received no request');
    return recorded;
  }

  it('answers a chat with the echoed text and usage, the key only in the header', async () => {
    const completion = await complete({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi there' }] });
    expect(completion).toMatchObject({
      id: 'fakeGeminiResponse0001',
      model: 'gemini-main',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Echo gemini-2.5-flash: hi there' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 4, completion_tokens: 4, total_tokens: 8 },
    });
    const recorded = lastRecorded();
    expect(recorded).toMatchObject({ provider: 'google-gemini', url: '/v1beta/models/gemini-2.5-flash:generateContent', presentedCredential: GOOD_KEYS['google-gemini'] });
    expect(recorded.url).not.toMatch(/key=/);
    expect(recorded.headers['x-goog-api-key']).toBe(GOOD_KEYS['google-gemini']);
  });

  it('answers a tool call, then the text once the tool result is sent back', async () => {
    const first = await complete({ messages: [{ role: 'user', content: 'weather?' }], tools: [WEATHER_TOOL], tool_choice: 'auto' });
    const toolCall = { id: 'call_0_0', type: 'function', function: { name: 'get_weather', arguments: FAKE_TOOL_ARGUMENTS } };
    expect(first.choices[0]).toMatchObject({ message: { content: null, tool_calls: [toolCall] }, finish_reason: 'tool_calls' });

    const second = await complete({
      messages: [{ role: 'user', content: 'weather?' }, first.choices[0]!.message, { role: 'tool', tool_call_id: 'call_0_0', content: '{"temp":21}' }],
      tools: [WEATHER_TOOL],
    });
    expect(second.choices[0]).toMatchObject({ message: { content: 'Echo gemini-2.5-flash: weather?' }, finish_reason: 'stop' });
  });

  it('answers several candidates and every generation setting the adapter sends', async () => {
    const completion = await complete({
      n: 2, temperature: 0.2, top_p: 0.5, max_tokens: 64, stop: 'END', seed: 1, presence_penalty: 0.1, frequency_penalty: 0.1,
      logprobs: true, top_logprobs: 2, reasoning_effort: 'low', response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } },
    });
    expect(completion.choices.map((choice) => [choice.index, choice.message.content])).toEqual([[0, 'Echo gemini-2.5-flash: hi'], [1, 'Echo gemini-2.5-flash: hi']]);
  });

  it('streams the echoed text over \\r\\n-framed SSE, with usage kept aside', async () => {
    const { chunks, usage, contentType } = await stream({ messages: [{ role: 'user', content: 'hi there' }] });
    expect(contentType).toContain('text/event-stream');
    expect(lastRecorded().url).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Echo gemini-2.5-flash: hi there');
    expect(chunks.at(-1)?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(usage).toEqual({ prompt_tokens: 2, completion_tokens: 4, total_tokens: 6 });
  });

  it('streams a tool call', async () => {
    const { chunks } = await stream({ tools: [WEATHER_TOOL] });
    expect(chunks.map((chunk) => chunk.choices[0])).toEqual([
      ROLE,
      { index: 0, delta: { tool_calls: [{ index: 0, id: 'call_0_0', type: 'function', function: { name: 'get_weather', arguments: FAKE_TOOL_ARGUMENTS } }] }, finish_reason: null, logprobs: null },
      { index: 0, delta: {}, finish_reason: 'tool_calls', logprobs: null },
    ]);
  });

  it("turns Gemini's in-stream error event into UpstreamStreamError", async () => {
    fake.setMode({ kind: 'error-mid-stream', afterChunks: 1 });
    await expect(stream({ messages: [{ role: 'user', content: 'hi there' }] })).rejects.toThrow(new UpstreamStreamError('The model is overloaded. Please try again later.'));
  });

  it('embeds texts with the requested dimensions', async () => {
    const request = embeddingsRequest.parse({ model: 'gemini-embed', input: ['a b', 'c'], dimensions: 4 });
    const response = await send(adapter.buildEmbeddingsRequest(request, { ...target, upstreamModel: 'gemini-embedding-001' }));
    expect(response.status).toBe(200);
    const result = adapter.parseEmbeddingsResponse(JSON.parse(response.text), REPLY, request);
    expect(result.data.map((item) => item.embedding)).toEqual([fakeEmbedding('a b', 4), fakeEmbedding('c', 4)]);
    expect(lastRecorded().url).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
  });

  it.each<[string, unknown, string]>([
    ['no contents', { generationConfig: {} }, 'contents is not specified'],
    ['a role other than user or model', { contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] }, 'Please use a valid role: user, model.'],
    ['an OpenAI field', { contents: [{ role: 'user', parts: [{ text: 'x' }] }], messages: [] }, 'Unknown name "messages"'],
    ['an unknown generationConfig field', { contents: [{ role: 'user', parts: [{ text: 'x' }] }], generationConfig: { max_tokens: 1 } }, 'Unknown name "generation_config.max_tokens"'],
    [
      'unpaired function responses',
      { contents: [{ role: 'user', parts: [{ text: 'x' }] }, { role: 'model', parts: [{ functionCall: { name: 'f', args: {} }, thoughtSignature: 'x' }] }, { role: 'user', parts: [{ text: 'y' }] }] },
      'number of function response parts',
    ],
    [
      'a replayed call without thought signature',
      { contents: [{ role: 'user', parts: [{ text: 'x' }] }, { role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] }, { role: 'user', parts: [{ functionResponse: { name: 'f', response: {} } }] }] },
      'missing a thought_signature',
    ],
  ])("gets the fake's google.rpc 400 for %s", async (_name, body, message) => {
    const built: UpstreamRequest = { method: 'POST', url: `${fake.url}/v1beta/models/gemini-2.5-flash:generateContent`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    const response = await send(built);
    expect(response.status).toBe(400);
    const answer = JSON.parse(response.text) as { error: { code: number; status: string; message: string } };
    expect(answer.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(answer.error.message).toContain(message);
  });
});
