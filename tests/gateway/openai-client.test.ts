// The official `openai` client, unchanged, against Keyhold: chat, streamed chat with usage, tools,
// embeddings, the model list, and the client's own error classes for each refusal.
import OpenAI from 'openai';
import { startGatewayHarness, type GatewayHarness } from '@tests/fixtures/gateway-setup';
import type { UsageRecord } from '@api/audit/usage-record';

let h: GatewayHarness;
let client: OpenAI;
let keyId: string;
const records: UsageRecord[] = [];

beforeAll(async () => {
  h = await startGatewayHarness();
  await h.addAccount({ type: 'openai', name: 'openai-main', enabledModels: ['model-a', 'model-b', 'text-embed'] });
  await h.app.call('POST', '/api/admin/rules', { role: 'owner', body: { name: 'no model-b for members', models: ['openai-main/model-b'], roles: ['member'], effect: 'deny' } });
  const created = await h.createKey('member', 'z-member-client');
  keyId = created.id;
  client = h.client(created.key);
  h.app.ctx.usage.subscribe((record) => void records.push(record));
});
afterEach(() => {
  h.fake.setMode({ kind: 'normal' });
  records.length = 0;
});
afterAll(() => h.close());

const hi = [{ role: 'user' as const, content: 'hi' }];

it('answers a chat completion in OpenAI shape, labelled with the model asked for', async () => {
  const completion = await client.chat.completions.create({ model: 'model-a', messages: hi });
  expect(completion.object).toBe('chat.completion');
  expect(completion.model).toBe('model-a');
  expect(completion.choices[0].message).toMatchObject({ role: 'assistant', content: 'Echo model-a: hi' });
  expect(completion.choices[0].finish_reason).toBe('stop');
  expect(completion.usage).toEqual({ prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 });
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ status: 200, account: 'openai-main', upstreamModel: 'model-a', promptTokens: 1, completionTokens: 3, tokensEstimated: false, attempts: 1, stream: false });
  expect(records[0]).toMatchObject({ keyId, did: 'z-member-client', principalKind: 'key' });
});

it('streams chunks as they come, then a usage chunk when asked, then [DONE]', async () => {
  const stream = await client.chat.completions.create({ model: 'openai-main/model-a', messages: [{ role: 'user', content: 'hello there' }], stream: true, stream_options: { include_usage: true } });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
  expect(text).toBe('Echo model-a: hello there');
  expect(chunks.every((c) => c.model === 'openai-main/model-a')).toBe(true);
  expect(chunks.at(-2)?.choices[0].finish_reason).toBe('stop');
  const last = chunks.at(-1)!;
  expect(last.choices).toEqual([]);
  expect(last.usage).toEqual({ prompt_tokens: 2, completion_tokens: 4, total_tokens: 6 });
  expect(last.id).toBe(chunks[0].id);
  expect(new Set(chunks.map((c) => c.created)).size).toBe(1);
  expect(records[0]).toMatchObject({ status: 200, stream: true, promptTokens: 2, completionTokens: 4 });
  expect(records[0].ttfbMs).not.toBeNull();
});

it('sends no usage chunk when the client did not ask, but still records usage', async () => {
  const stream = await client.chat.completions.create({ model: 'model-a', messages: hi, stream: true });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  expect(chunks.some((c) => c.usage)).toBe(false);
  expect(records[0]).toMatchObject({ promptTokens: 1, completionTokens: 3 });
});

it('counts the tokens itself when the upstream reports usage that is not counts', async () => {
  // Any base URL can be an account: what it reports as usage feeds limits, budgets and the usage table.
  // Counted here: 3 to prime the reply + 3 for the message + 1 for "hi"; "Hello there" is 2.
  const answer = (usage: unknown) => ({
    id: 'chatcmpl-odd', object: 'chat.completion', created: 1_700_000_000, model: 'model-a',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there' }, finish_reason: 'stop' }], usage,
  });
  for (const usage of [
    { prompt_tokens: 3, completion_tokens: 'many', total_tokens: 3 },
    { prompt_tokens: 3, completion_tokens: -40, total_tokens: -37 },
    { prompt_tokens: 2.5, completion_tokens: 1, total_tokens: 3.5 },
    { prompt_tokens: 3 },
  ]) {
    records.length = 0;
    h.fake.setMode({ kind: 'status', status: 200, body: answer(usage) });
    const completion = await client.chat.completions.create({ model: 'model-a', messages: hi });
    expect(completion.choices[0].message.content).toBe('Hello there');
    expect([usage, completion.usage]).toEqual([usage, { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 }]);
    expect(records[0]).toMatchObject({ promptTokens: 7, completionTokens: 2, tokensEstimated: true });
  }
});

it('passes tool definitions and returns tool calls, streamed and not', async () => {
  const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
  const completion = await client.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'weather?' }], tools });
  expect(completion.choices[0].finish_reason).toBe('tool_calls');
  const call = completion.choices[0].message.tool_calls![0];
  expect(call.type === 'function' && call.function).toEqual({ name: 'get_weather', arguments: '{"city":"Paris"}' });

  const runner = client.chat.completions.stream({ model: 'model-a', messages: [{ role: 'user', content: 'weather?' }], tools });
  const final = await runner.finalChatCompletion();
  const streamed = final.choices[0].message.tool_calls![0];
  expect(streamed.type === 'function' && streamed.function.arguments).toBe('{"city":"Paris"}');

  const answer = await client.chat.completions.create({
    model: 'model-a',
    messages: [{ role: 'user', content: 'weather?' }, completion.choices[0].message, { role: 'tool', tool_call_id: call.id, content: 'sunny' }],
    tools,
  });
  expect(answer.choices[0].message.content).toBe('Echo model-a: weather?');
});

it('creates embeddings, floats and base64', async () => {
  const result = await client.embeddings.create({ model: 'text-embed', input: ['one two', 'three'] });
  expect(result.data).toHaveLength(2);
  expect(result.data[0].embedding).toHaveLength(8);
  expect(result.model).toBe('text-embed');
  expect(result.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
  // The client asks for base64 by default and decodes it itself when no format is given.
  const decoded = await client.embeddings.create({ model: 'text-embed', input: 'one two' });
  expect(decoded.data[0].embedding[0]).toBeCloseTo(result.data[0].embedding[0], 5);
});

it('lists only the models the caller may use, and retrieves one', async () => {
  const ids = [];
  for await (const model of client.models.list()) ids.push(model.id);
  expect(ids).toEqual(['openai-main/model-a', 'openai-main/text-embed', 'model-a', 'text-embed']);
  expect((await client.models.retrieve('openai-main/model-a')).owned_by).toBe('openai-main');
  await expect(client.models.retrieve('openai-main/model-b')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
});

describe('refusals arrive as the client library’s own error classes', () => {
  it('401 for a bad key', async () => {
    const bad = h.client('kh-AAAAAAAAAAAAAAAA_' + 'A'.repeat(43));
    const error = await bad.chat.completions.create({ model: 'model-a', messages: hi }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ message: 'Invalid API key.', type: 'authentication_error' });
  });

  it('403 for a model a rule denies, naming the rule', async () => {
    const error = await client.chat.completions.create({ model: 'model-b', messages: hi }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((error as Error).message).toContain('no model-b for members');
    expect(h.fake.requests.filter((r) => r.body.includes('model-b'))).toHaveLength(0);
  });

  it('404 for a model nobody serves', async () => {
    const error = await client.chat.completions.create({ model: 'gpt-nothing', messages: hi }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.APIError>).param).toBe('model');
  });

  it('400 for an unknown parameter and for a malformed message', async () => {
    const unknown = await client.chat.completions.create({ model: 'model-a', messages: hi, temprature: 1 } as never).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(OpenAI.BadRequestError);
    expect((unknown as Error).message).toContain('temprature');
    const malformed = await client.chat.completions.create({ model: 'model-a', messages: [{ role: 'user' }] } as never).catch((e: unknown) => e);
    expect(malformed).toBeInstanceOf(OpenAI.BadRequestError);
    expect((malformed as InstanceType<typeof OpenAI.APIError>).param).toBe('messages.0.content');
  });

  it('429 with Retry-After when the upstream is rate limited', async () => {
    h.fake.setMode({ kind: 'status', status: 429, headers: { 'retry-after': '7' } });
    const error = await client.chat.completions.create({ model: 'openai-main/model-a', messages: hi }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('7');
    // The credential now cools down: the next call is refused without reaching the upstream.
    h.fake.setMode({ kind: 'normal' });
    const before = h.fake.requests.length;
    const cooling = await client.chat.completions.create({ model: 'openai-main/model-a', messages: hi }).catch((e: unknown) => e);
    expect(cooling).toBeInstanceOf(OpenAI.InternalServerError);
    expect((cooling as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect(Number((cooling as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(h.fake.requests.length).toBe(before);
    h.app.ctx.gateway.health.restore(h.app.ctx.gateway.catalog.snapshot.accounts.get('openai-main')!.credentials[0].id);
  });
});
