// The aws-bedrock adapter: OpenAI requests to Converse / Titan InvokeModel bodies, Converse answers
// and event streams back to OpenAI, and a signed round trip against the fake Bedrock runtime.
import { request as sendRequest } from 'undici';
import { awsBedrockAdapter } from '@api/gateway/providers/aws-bedrock';
import { resolveBedrockControlUrl, resolveBedrockRuntimeUrl } from '@api/gateway/providers/aws-bedrock/api';
import { getProviderApi } from '@api/gateway/providers';
import type { ModelTarget, ReplyContext } from '@api/gateway/providers/adapter';
import type { UpstreamAccount, UpstreamRequest } from '@api/gateway/providers/types';
import { chatCompletionRequest, type ChatCompletionRequest } from '@api/gateway/openai/chat-request';
import { embeddingsRequest, type EmbeddingsRequest } from '@api/gateway/openai/embeddings-request';
import type { ChatCompletionChunk } from '@api/gateway/openai/responses';
import { UpstreamStreamError } from '@api/gateway/upstream-stream-error';
import { UnsupportedParameter } from '@api/errors';
import { buildFakeAccount, buildGoodCredential, buildWrongCredential } from '@tests/fixtures/fake-upstream/accounts';
import { encodeBedrockEvent, encodeBedrockException } from '@tests/fixtures/fake-upstream/aws-bedrock-chat';
import { FAKE_TOOL_ARGUMENTS, FAKE_TOOL_CALL_ID, fakeEmbedding } from '@tests/fixtures/fake-upstream/chat-script';
import { sendSigned, useFakeUpstream } from '@tests/fixtures/provider-round-trip';

const MODEL_ID = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const ENCODED_MODEL_ID = 'anthropic.claude-3-5-sonnet-20240620-v1%3A0';
const RUNTIME = 'https://bedrock-runtime.us-east-1.amazonaws.com';
const ACCOUNT: UpstreamAccount = { type: 'aws-bedrock', baseUrl: null, region: 'us-east-1', apiVersion: null };
const TARGET: ModelTarget = { account: ACCOUNT, upstreamModel: MODEL_ID };
const REPLY: ReplyContext = { model: 'bedrock-main/claude', id: 'chatcmpl-gateway01', created: 1_700_000_123 };
const WEATHER_TOOL = { type: 'function' as const, function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };
const WEATHER_SPEC = { toolSpec: { name: 'get_weather', description: 'Weather for a city', inputSchema: { json: WEATHER_TOOL.function.parameters } } };
const PIXEL = 'iVBORw0KGgo=';

function chat(fields: Record<string, unknown>): ChatCompletionRequest {
  return chatCompletionRequest.parse({ model: 'bedrock-main/claude', messages: [{ role: 'user', content: 'hi' }], ...fields });
}

function bodyOf(upstream: UpstreamRequest): unknown {
  return JSON.parse(upstream.body ?? 'null');
}

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('aws-bedrock chat requests', () => {
  const hi = [{ role: 'user', content: [{ text: 'hi' }] }];

  it.each<[string, Record<string, unknown>, unknown]>([
    ['a plain user message', {}, { messages: hi }],
    [
      'system and developer messages as the top-level system, wherever they stand',
      { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }, { role: 'developer', content: [{ type: 'text', text: 'No emoji.' }] }] },
      { messages: hi, system: [{ text: 'Be brief.' }, { text: 'No emoji.' }] },
    ],
    [
      'a multi-turn conversation, names dropped',
      { messages: [{ role: 'user', content: 'hi', name: 'ann' }, { role: 'assistant', content: 'hello' }, { role: 'user', content: [{ type: 'text', text: 'again' }] }] },
      { messages: [...hi, { role: 'assistant', content: [{ text: 'hello' }] }, { role: 'user', content: [{ text: 'again' }] }] },
    ],
    [
      'consecutive user messages merged into one turn',
      { messages: [{ role: 'user', content: 'one' }, { role: 'user', content: 'two' }] },
      { messages: [{ role: 'user', content: [{ text: 'one' }, { text: 'two' }] }] },
    ],
    [
      'data: URL images as image bytes, by format',
      { messages: [{ role: 'user', content: [{ type: 'text', text: 'what is it?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PIXEL}` } }, { type: 'image_url', image_url: { url: `data:image/jpg;base64,${PIXEL}`, detail: 'low' } }] }] },
      { messages: [{ role: 'user', content: [{ text: 'what is it?' }, { image: { format: 'png', source: { bytes: PIXEL } } }, { image: { format: 'jpeg', source: { bytes: PIXEL } } }] }] },
    ],
    [
      'tools with tool_choice auto',
      { tools: [WEATHER_TOOL], tool_choice: 'auto' },
      { messages: hi, toolConfig: { tools: [WEATHER_SPEC], toolChoice: { auto: {} } } },
    ],
    [
      'tool_choice required as any, a tool without parameters as an empty object schema',
      { tools: [{ type: 'function', function: { name: 'now' } }], tool_choice: 'required' },
      { messages: hi, toolConfig: { tools: [{ toolSpec: { name: 'now', inputSchema: { json: { type: 'object', properties: {} } } } }], toolChoice: { any: {} } } },
    ],
    [
      'a named tool_choice as tool',
      { tools: [WEATHER_TOOL], tool_choice: { type: 'function', function: { name: 'get_weather' } } },
      { messages: hi, toolConfig: { tools: [WEATHER_SPEC], toolChoice: { tool: { name: 'get_weather' } } } },
    ],
    [
      "tool calls and their results: blank content dropped, results merged into one user turn with the next text",
      {
        tools: [WEATHER_TOOL],
        messages: [
          { role: 'user', content: 'weather in Paris and Rome?' },
          { role: 'assistant', content: '', tool_calls: [
            { id: 'tooluse_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'tooluse_2', type: 'function', function: { name: 'get_weather', arguments: '' } },
          ] },
          { role: 'tool', tool_call_id: 'tooluse_1', content: 'sunny' },
          { role: 'tool', tool_call_id: 'tooluse_2', content: [{ type: 'text', text: 'rain' }] },
          { role: 'user', content: 'thanks' },
        ],
      },
      {
        messages: [
          { role: 'user', content: [{ text: 'weather in Paris and Rome?' }] },
          { role: 'assistant', content: [
            { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } },
            { toolUse: { toolUseId: 'tooluse_2', name: 'get_weather', input: {} } },
          ] },
          { role: 'user', content: [
            { toolResult: { toolUseId: 'tooluse_1', content: [{ text: 'sunny' }] } },
            { toolResult: { toolUseId: 'tooluse_2', content: [{ text: 'rain' }] } },
            { text: 'thanks' },
          ] },
        ],
        toolConfig: { tools: [WEATHER_SPEC] },
      },
    ],
    [
      'every inference parameter; max_completion_tokens wins over max_tokens, a stop string becomes a list',
      { max_tokens: 50, max_completion_tokens: 100, temperature: 0.5, top_p: 0.9, stop: 'END' },
      { messages: hi, inferenceConfig: { maxTokens: 100, temperature: 0.5, topP: 0.9, stopSequences: ['END'] } },
    ],
    ['max_tokens alone and a stop list', { max_tokens: 50, stop: ['a', 'b'] }, { messages: hi, inferenceConfig: { maxTokens: 50, stopSequences: ['a', 'b'] } }],
    [
      'caller metadata and harmless defaults dropped',
      { user: 'u1', metadata: { a: 'b' }, store: false, service_tier: 'auto', safety_identifier: 's', prompt_cache_key: 'k', n: 1, logprobs: false, presence_penalty: 0, frequency_penalty: 0, modalities: ['text'], parallel_tool_calls: true, response_format: { type: 'text' }, logit_bias: {}, stream_options: { include_usage: true } },
      { messages: hi },
    ],
  ])('maps %s', (_name, fields, expected) => {
    const upstream = awsBedrockAdapter.buildChatRequest(chat(fields), TARGET, { stream: false });
    expect(upstream.method).toBe('POST');
    expect(upstream.url).toBe(`${RUNTIME}/model/${ENCODED_MODEL_ID}/converse`);
    expect(upstream.headers).toEqual({ 'content-type': 'application/json', accept: 'application/json' });
    expect(bodyOf(upstream)).toEqual(expected);
  });

  it.each<[string, UpstreamAccount, string, string]>([
    ['a stream to converse-stream, asking for the event stream', ACCOUNT, MODEL_ID, `${RUNTIME}/model/${ENCODED_MODEL_ID}/converse-stream`],
    ['another region', { ...ACCOUNT, region: 'us-gov-west-1' }, 'meta.llama3-8b-instruct-v1:0', 'https://bedrock-runtime.us-gov-west-1.amazonaws.com/model/meta.llama3-8b-instruct-v1%3A0/converse-stream'],
    ['a baseUrl (VPC endpoint) replacing the runtime endpoint', { ...ACCOUNT, baseUrl: 'https://vpce-1.bedrock-runtime.example.com/' }, MODEL_ID, `https://vpce-1.bedrock-runtime.example.com/model/${ENCODED_MODEL_ID}/converse-stream`],
    [
      'an inference-profile ARN as one encoded segment',
      ACCOUNT,
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0',
      `${RUNTIME}/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream`,
    ],
  ])('sends %s', (_name, account, upstreamModel, url) => {
    const upstream = awsBedrockAdapter.buildChatRequest(chat({ stream: true }), { account, upstreamModel }, { stream: true });
    expect(upstream.url).toBe(url);
    expect(upstream.headers).toEqual({ 'content-type': 'application/json', accept: 'application/vnd.amazon.eventstream' });
    expect(bodyOf(upstream)).toEqual({ messages: hi });
  });

  it('keeps the control-plane URL and adds the runtime URL beside it', () => {
    expect(resolveBedrockControlUrl(ACCOUNT).href).toBe('https://bedrock.us-east-1.amazonaws.com/');
    expect(resolveBedrockRuntimeUrl(ACCOUNT).href).toBe(`${RUNTIME}/`);
    expect(() => resolveBedrockRuntimeUrl({ ...ACCOUNT, region: 'evil.com/x' })).toThrow('valid region');
  });

  it.each<[Record<string, unknown>, string]>([
    [{ n: 2 }, 'n'],
    [{ logprobs: true }, 'logprobs'],
    [{ top_logprobs: 2 }, 'top_logprobs'],
    [{ logit_bias: { '50256': -100 } }, 'logit_bias'],
    [{ presence_penalty: 0.5 }, 'presence_penalty'],
    [{ frequency_penalty: -1 }, 'frequency_penalty'],
    [{ seed: 7 }, 'seed'],
    [{ temperature: 1.5 }, 'temperature'],
    [{ response_format: { type: 'json_object' } }, 'response_format'],
    [{ response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } } }, 'response_format'],
    [{ audio: { voice: 'alloy', format: 'mp3' } }, 'audio'],
    [{ modalities: ['text', 'audio'] }, 'modalities'],
    [{ prediction: { type: 'content', content: 'x' } }, 'prediction'],
    [{ reasoning_effort: 'low' }, 'reasoning_effort'],
    [{ verbosity: 'low' }, 'verbosity'],
    [{ web_search_options: {} }, 'web_search_options'],
    [{ functions: [{ name: 'f' }] }, 'functions'],
    [{ function_call: 'auto' }, 'function_call'],
    [{ parallel_tool_calls: false }, 'parallel_tool_calls'],
    [{ tools: [WEATHER_TOOL], tool_choice: 'none' }, 'tool_choice'],
    [{ tool_choice: 'required' }, 'tool_choice'],
    [{ tools: [{ type: 'function', function: { ...WEATHER_TOOL.function, strict: true } }] }, 'tools[0].function.strict'],
    [{ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }] }, 'messages[0].content[0].image_url'],
    [{ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/bmp;base64,${PIXEL}` } }] }] }, 'messages[0].content[0].image_url'],
    [{ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }] }, 'messages[0].content[0].input_audio'],
    [{ messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-1' } }] }] }, 'messages[0].content[0].file'],
    [{ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '[1]' } }] }] }, 'messages[1].tool_calls[0].function.arguments'],
    [{ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } }] }, 'messages[1].function_call'],
    [{ messages: [{ role: 'user', content: 'hi' }, { role: 'function', name: 'f', content: 'x' }] }, 'messages[1]'],
  ])('refuses %j as UnsupportedParameter(%s)', (fields, param) => {
    const error = catchError(() => awsBedrockAdapter.buildChatRequest(chat(fields), TARGET, { stream: false }));
    expect(error).toBeInstanceOf(UnsupportedParameter);
    expect(error).toMatchObject({ status: 400, code: 'ERR_GATEWAY_UNSUPPORTED_PARAMETER', param });
  });
});

describe('aws-bedrock chat responses', () => {
  const usage = { inputTokens: 12, outputTokens: 5, totalTokens: 17 };
  const answer = (content: unknown[], stopReason: string) => ({ output: { message: { role: 'assistant', content } }, stopReason, usage, metrics: { latencyMs: 9 } });
  const toolCall = { id: 'tooluse_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } };

  it.each<[string, unknown, unknown, string]>([
    ['text blocks joined', answer([{ text: 'Hello ' }, { text: 'there' }], 'end_turn'), { role: 'assistant', content: 'Hello there' }, 'stop'],
    ['a stop sequence', answer([{ text: 'x' }], 'stop_sequence'), { role: 'assistant', content: 'x' }, 'stop'],
    ['max_tokens', answer([{ text: 'x' }], 'max_tokens'), { role: 'assistant', content: 'x' }, 'length'],
    ['a guardrail', answer([{ text: 'blocked' }], 'guardrail_intervened'), { role: 'assistant', content: 'blocked' }, 'content_filter'],
    ['a content filter', answer([{ text: 'x' }], 'content_filtered'), { role: 'assistant', content: 'x' }, 'content_filter'],
    ['a tool call, input as JSON arguments', answer([{ toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } }], 'tool_use'), { role: 'assistant', content: null, tool_calls: [toolCall] }, 'tool_calls'],
    [
      'text beside a tool call, reasoning skipped',
      answer([{ reasoningContent: { reasoningText: { text: 'hmm' } } }, { text: 'Let me check.' }, { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } }], 'tool_use'),
      { role: 'assistant', content: 'Let me check.', tool_calls: [toolCall] },
      'tool_calls',
    ],
  ])('translates %s', (_name, body, message, finishReason) => {
    expect(awsBedrockAdapter.parseChatResponse(body, REPLY)).toEqual({
      id: REPLY.id,
      object: 'chat.completion',
      created: REPLY.created,
      model: REPLY.model,
      choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
      usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
    });
  });

  it('refuses an answer without output.message', () => {
    expect(() => awsBedrockAdapter.parseChatResponse({ message: 'nope' }, REPLY)).toThrow(UpstreamStreamError);
  });
});

function frame(type: string, payload: Record<string, unknown>): Uint8Array {
  return encodeBedrockEvent(type, payload);
}

function concat(frames: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(frames));
}

function translate(bytes: Uint8Array, split: 'whole' | 'byte'): { chunks: ChatCompletionChunk[]; usage: unknown } {
  const translator = awsBedrockAdapter.createStreamTranslator(REPLY);
  const chunks: ChatCompletionChunk[] = [];
  if (split === 'whole') chunks.push(...translator.push(bytes));
  else for (let i = 0; i < bytes.length; i += 1) chunks.push(...translator.push(bytes.subarray(i, i + 1)));
  chunks.push(...translator.finish());
  return { chunks, usage: translator.usage };
}

function expectedChunk(delta: unknown, finishReason: string | null = null) {
  return { id: REPLY.id, object: 'chat.completion.chunk', created: REPLY.created, model: REPLY.model, choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] };
}

const STREAM_USAGE = frame('metadata', { usage: { inputTokens: 7, outputTokens: 3, totalTokens: 10 }, metrics: { latencyMs: 5 } });
const TEXT_STREAM = concat([
  frame('messageStart', { role: 'assistant' }),
  frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hel' } }),
  frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'lo é' } }),
  frame('contentBlockStop', { contentBlockIndex: 0 }),
  frame('messageStop', { stopReason: 'end_turn' }),
  STREAM_USAGE,
]);
const TOOL_STREAM = concat([
  frame('messageStart', { role: 'assistant' }),
  frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Checking.' } }),
  frame('contentBlockStop', { contentBlockIndex: 0 }),
  frame('contentBlockStart', { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather' } } }),
  frame('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '{"city":' } } }),
  frame('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '"Paris"}' } } }),
  frame('contentBlockStop', { contentBlockIndex: 1 }),
  frame('contentBlockStart', { contentBlockIndex: 2, start: { toolUse: { toolUseId: 'tooluse_2', name: 'get_time' } } }),
  frame('contentBlockDelta', { contentBlockIndex: 2, delta: { toolUse: { input: '{}' } } }),
  frame('contentBlockStop', { contentBlockIndex: 2 }),
  frame('messageStop', { stopReason: 'tool_use' }),
  STREAM_USAGE,
]);

describe('aws-bedrock chat streams', () => {
  it.each<[string, Uint8Array, unknown[]]>([
    ['text', TEXT_STREAM, [expectedChunk({ role: 'assistant', content: '' }), expectedChunk({ content: 'Hel' }), expectedChunk({ content: 'lo é' }), expectedChunk({}, 'stop')]],
    [
      'text then two tool calls',
      TOOL_STREAM,
      [
        expectedChunk({ role: 'assistant', content: '' }),
        expectedChunk({ content: 'Checking.' }),
        expectedChunk({ tool_calls: [{ index: 0, id: 'tooluse_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
        expectedChunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
        expectedChunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
        expectedChunk({ tool_calls: [{ index: 1, id: 'tooluse_2', type: 'function', function: { name: 'get_time', arguments: '' } }] }),
        expectedChunk({ tool_calls: [{ index: 1, function: { arguments: '{}' } }] }),
        expectedChunk({}, 'tool_calls'),
      ],
    ],
    [
      'max_tokens, without messageStart',
      concat([frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'cut' } }), frame('messageStop', { stopReason: 'max_tokens' }), STREAM_USAGE]),
      [expectedChunk({ role: 'assistant', content: '' }), expectedChunk({ content: 'cut' }), expectedChunk({}, 'length')],
    ],
    [
      'a guardrail stop',
      concat([frame('messageStart', { role: 'assistant' }), frame('messageStop', { stopReason: 'guardrail_intervened' }), STREAM_USAGE]),
      [expectedChunk({ role: 'assistant', content: '' }), expectedChunk({}, 'content_filter')],
    ],
  ])('translates %s, the same whole or one byte at a time, usage kept aside', (_name, bytes, expected) => {
    const whole = translate(bytes, 'whole');
    expect(whole.chunks).toEqual(expected);
    expect(whole.usage).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    expect(translate(bytes, 'byte')).toEqual(whole);
  });

  it.each<[string, Uint8Array, string, number | null]>([
    ['a modelStreamErrorException frame', concat([frame('messageStart', { role: 'assistant' }), encodeBedrockException('modelStreamErrorException', 'model broke')]), 'model broke', 424],
    ['a throttlingException frame', encodeBedrockException('throttlingException', 'Too many requests, please wait before trying again.'), 'Too many requests, please wait before trying again.', 429],
    ['an internalServerException frame', encodeBedrockException('internalServerException', 'boom'), 'boom', 500],
  ])('throws UpstreamStreamError on %s', (_name, bytes, message, status) => {
    const translator = awsBedrockAdapter.createStreamTranslator(REPLY);
    const error = catchError(() => translator.push(bytes));
    expect(error).toBeInstanceOf(UpstreamStreamError);
    expect(error).toMatchObject({ message, status });
  });

  it.each<[string, Uint8Array]>([
    ['before messageStop', concat([frame('messageStart', { role: 'assistant' }), frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hel' } })])],
    ['inside a frame', TEXT_STREAM.subarray(0, 40)],
    ['with nothing at all', new Uint8Array(0)],
  ])('finish() throws when the body ends %s', (_name, bytes) => {
    const translator = awsBedrockAdapter.createStreamTranslator(REPLY);
    translator.push(bytes);
    expect(() => translator.finish()).toThrow(new UpstreamStreamError('the upstream stream ended before it was complete'));
  });

  it('refuses tool input for a tool call that never started', () => {
    const translator = awsBedrockAdapter.createStreamTranslator(REPLY);
    expect(() => translator.push(frame('contentBlockDelta', { contentBlockIndex: 3, delta: { toolUse: { input: '{}' } } }))).toThrow(UpstreamStreamError);
  });
});

function embed(fields: Record<string, unknown>): EmbeddingsRequest {
  return embeddingsRequest.parse({ model: 'titan', input: 'hello world', ...fields });
}

const TITAN_V2: ModelTarget = { account: ACCOUNT, upstreamModel: 'amazon.titan-embed-text-v2:0' };
const TITAN_V1: ModelTarget = { account: ACCOUNT, upstreamModel: 'amazon.titan-embed-text-v1' };

describe('aws-bedrock embeddings', () => {
  it.each<[string, ModelTarget, Record<string, unknown>, string, unknown]>([
    ['Titan V2, normalized', TITAN_V2, {}, `${RUNTIME}/model/amazon.titan-embed-text-v2%3A0/invoke`, { inputText: 'hello world', normalize: true }],
    ['Titan V2 with dimensions, a one-item list', TITAN_V2, { input: ['hello world'], dimensions: 256 }, `${RUNTIME}/model/amazon.titan-embed-text-v2%3A0/invoke`, { inputText: 'hello world', dimensions: 256, normalize: true }],
    ['Titan V1, inputText alone', TITAN_V1, {}, `${RUNTIME}/model/amazon.titan-embed-text-v1/invoke`, { inputText: 'hello world' }],
  ])('maps %s', (_name, target, fields, url, body) => {
    const upstream = awsBedrockAdapter.buildEmbeddingsRequest(embed(fields), target);
    expect(upstream).toMatchObject({ method: 'POST', url, headers: { 'content-type': 'application/json', accept: 'application/json' } });
    expect(bodyOf(upstream)).toEqual(body);
  });

  it.each<[string, ModelTarget, Record<string, unknown>, string]>([
    ['more than one input', TITAN_V2, { input: ['a', 'b'] }, 'input'],
    ['token ids', TITAN_V2, { input: [1, 2, 3] }, 'input'],
    ['dimensions Titan V2 does not offer', TITAN_V2, { dimensions: 100 }, 'dimensions'],
    ['dimensions on Titan V1', TITAN_V1, { dimensions: 256 }, 'dimensions'],
    ['a non-Titan model', { account: ACCOUNT, upstreamModel: 'cohere.embed-english-v3' }, {}, 'model'],
  ])('refuses %s', (_name, target, fields, param) => {
    const error = catchError(() => awsBedrockAdapter.buildEmbeddingsRequest(embed(fields), target));
    expect(error).toBeInstanceOf(UnsupportedParameter);
    expect(error).toMatchObject({ param });
  });

  it.each<[string, Record<string, unknown>, unknown]>([
    ['floats', {}, [0.5, -0.25]],
    ['base64 little-endian float32', { encoding_format: 'base64' }, Buffer.from(new Float32Array([0.5, -0.25]).buffer).toString('base64')],
  ])('answers %s with Titan token counts', (_name, fields, embedding) => {
    expect(awsBedrockAdapter.parseEmbeddingsResponse({ embedding: [0.5, -0.25], inputTextTokenCount: 2 }, REPLY, embed(fields))).toEqual({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding }],
      model: REPLY.model,
      usage: { prompt_tokens: 2, total_tokens: 2 },
    });
  });
});

describe('aws-bedrock round trip against the fake runtime (SigV4 verified)', () => {
  const { fake, dispatcher } = useFakeUpstream();
  let target: ModelTarget;

  beforeAll(() => {
    target = { account: buildFakeAccount('aws-bedrock', fake.url), upstreamModel: MODEL_ID };
  });

  const send = (upstream: UpstreamRequest) => sendSigned(target.account, upstream, dispatcher);

  async function sendJson(upstream: UpstreamRequest): Promise<{ status: number; body: unknown }> {
    const { status, text } = await send(upstream);
    return { status, body: JSON.parse(text) };
  }

  it('answers a signed Converse call with the echo, the ":" in the model id encoded on the wire', async () => {
    const { status, body } = await sendJson(awsBedrockAdapter.buildChatRequest(chat({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }] }), target, { stream: false }));
    expect(status).toBe(200);
    expect(fake.requests.at(-1)?.url).toBe(`/model/${ENCODED_MODEL_ID}/converse`);
    const completion = awsBedrockAdapter.parseChatResponse(body, REPLY);
    expect(completion.choices[0]).toMatchObject({ message: { role: 'assistant', content: `Echo ${MODEL_ID}: hi` }, finish_reason: 'stop' });
    expect(completion.usage).toEqual({ prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 });
  });

  it('is refused when the path sent is not the encoded path that was signed, or the secret is wrong', async () => {
    const upstream = awsBedrockAdapter.buildChatRequest(chat({}), target, { stream: false });
    const signed = await getProviderApi('aws-bedrock').applyUpstreamAuth(upstream, target.account, buildGoodCredential('aws-bedrock'));
    const raw = await sendRequest(signed.url.replace(ENCODED_MODEL_ID, MODEL_ID), { method: signed.method, headers: signed.headers, body: signed.body });
    expect(raw.statusCode).toBe(403);
    expect(await raw.body.json()).toEqual({ message: expect.stringContaining('signature we calculated does not match') });
    const wrong = await getProviderApi('aws-bedrock').applyUpstreamAuth(upstream, target.account, buildWrongCredential('aws-bedrock'));
    const refused = await sendRequest(wrong.url, { method: wrong.method, headers: wrong.headers, body: wrong.body });
    expect(refused.statusCode).toBe(403);
    await refused.body.dump();
  });

  it('signs and routes an inference-profile ARN (":" and "/" in one segment)', async () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0';
    const { status, body } = await sendJson(awsBedrockAdapter.buildChatRequest(chat({}), { ...target, upstreamModel: arn }, { stream: false }));
    expect(status).toBe(200);
    expect(awsBedrockAdapter.parseChatResponse(body, REPLY).choices[0]?.message.content).toBe(`Echo ${arn}: hi`);
  });

  it('answers a tool call, then the echo once the tool result is sent back', async () => {
    const first = await sendJson(awsBedrockAdapter.buildChatRequest(chat({ tools: [WEATHER_TOOL], tool_choice: 'required' }), target, { stream: false }));
    const call = awsBedrockAdapter.parseChatResponse(first.body, REPLY).choices[0];
    expect(call).toMatchObject({ finish_reason: 'tool_calls', message: { content: null, tool_calls: [{ id: FAKE_TOOL_CALL_ID, type: 'function', function: { name: 'get_weather', arguments: FAKE_TOOL_ARGUMENTS } }] } });
    const messages = [{ role: 'user', content: 'hi' }, call?.message, { role: 'tool', tool_call_id: FAKE_TOOL_CALL_ID, content: 'sunny' }];
    const second = await sendJson(awsBedrockAdapter.buildChatRequest(chat({ tools: [WEATHER_TOOL], messages }), target, { stream: false }));
    expect(second.status).toBe(200);
    expect(awsBedrockAdapter.parseChatResponse(second.body, REPLY).choices[0]).toMatchObject({ message: { content: `Echo ${MODEL_ID}: hi` }, finish_reason: 'stop' });
  });

  it('answers max_tokens with finish_reason length', async () => {
    const { body } = await sendJson(awsBedrockAdapter.buildChatRequest(chat({ max_tokens: 2 }), target, { stream: false }));
    expect(awsBedrockAdapter.parseChatResponse(body, REPLY).choices[0]).toMatchObject({ message: { content: `Echo ${MODEL_ID}: ` }, finish_reason: 'length' });
  });

  it('gets Bedrock\'s ValidationException for a conversation that starts with the assistant', async () => {
    const { status, body } = await sendJson(awsBedrockAdapter.buildChatRequest(chat({ messages: [{ role: 'assistant', content: 'hello' }, { role: 'user', content: 'hi' }] }), target, { stream: false }));
    expect(status).toBe(400);
    expect(body).toEqual({ message: expect.stringContaining('must start with a user message') });
  });

  it.each<[string, Record<string, unknown>, unknown[], number]>([
    ['text', {}, [{ role: 'assistant', content: '' }, { content: 'Echo ' }, { content: `${MODEL_ID}: ` }, { content: 'hi' }, {}], 3],
    [
      'a tool call',
      { tools: [WEATHER_TOOL] },
      [
        { role: 'assistant', content: '' },
        { tool_calls: [{ index: 0, id: FAKE_TOOL_CALL_ID, type: 'function', function: { name: 'get_weather', arguments: '' } }] },
        { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
        { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
        {},
      ],
      2,
    ],
  ])('streams %s from converse-stream frames', async (_name, fields, deltas, completionTokens) => {
    const { status, headers, bytes } = await send(awsBedrockAdapter.buildChatRequest(chat({ stream: true, ...fields }), target, { stream: true }));
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('application/vnd.amazon.eventstream');
    const { chunks, usage } = translate(bytes, 'byte');
    expect(chunks.map((chunk) => chunk.choices[0]?.delta)).toEqual(deltas);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe(fields.tools ? 'tool_calls' : 'stop');
    expect(usage).toEqual({ prompt_tokens: 1, completion_tokens: completionTokens, total_tokens: 1 + completionTokens });
  });

  it('throws the fake\'s in-stream modelStreamErrorException as UpstreamStreamError', async () => {
    fake.setMode({ kind: 'error-mid-stream', afterChunks: 2 });
    const { bytes } = await send(awsBedrockAdapter.buildChatRequest(chat({ stream: true }), target, { stream: true }));
    const translator = awsBedrockAdapter.createStreamTranslator(REPLY);
    expect(() => translator.push(bytes)).toThrow(new UpstreamStreamError('The model encountered an error while streaming the response.'));
  });

  it.each<[string, string, Record<string, unknown>, number]>([
    ['Titan V2', 'amazon.titan-embed-text-v2:0', {}, 1024],
    ['Titan V2 with dimensions, as base64', 'amazon.titan-embed-text-v2:0', { dimensions: 256, encoding_format: 'base64' }, 256],
    ['Titan V1', 'amazon.titan-embed-text-v1', {}, 1536],
  ])('embeds with %s', async (_name, upstreamModel, fields, dimensions) => {
    const request = embed(fields);
    const { status, body } = await sendJson(awsBedrockAdapter.buildEmbeddingsRequest(request, { ...target, upstreamModel }));
    expect(status).toBe(200);
    const vector = fakeEmbedding('hello world', dimensions);
    const embedding = request.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    expect(awsBedrockAdapter.parseEmbeddingsResponse(body, REPLY, request)).toEqual({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding }],
      model: REPLY.model,
      usage: { prompt_tokens: 2, total_tokens: 2 },
    });
  });
});
