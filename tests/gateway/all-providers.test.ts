// Every provider behind Keyhold, called with the official openai client: JSON, streamed and tool
// calls, embeddings where the provider has them. The fake upstream checks each provider's own
// credential (Bedrock: a SigV4 signature), so these also prove upstream auth is applied.
import OpenAI from 'openai';
import { startGatewayHarness, type GatewayHarness } from '@tests/fixtures/gateway-setup';
import type { ProviderType } from '@api/gateway/providers/types';

let h: GatewayHarness;
let client: OpenAI;

// model-a is what the fakes serve (Ollama checks its list; Azure takes it as the deployment name).
const CHAT_MODEL: Record<ProviderType, string> = {
  openai: 'model-a',
  'openai-compatible': 'model-a',
  'azure-openai': 'model-a',
  anthropic: 'model-a',
  'google-gemini': 'model-a',
  'aws-bedrock': 'anthropic.claude-3-5-sonnet-20240620-v1:0',
  ollama: 'model-a',
};
const EMBED_MODEL: Partial<Record<ProviderType, string>> = {
  openai: 'model-a',
  'openai-compatible': 'model-a',
  'azure-openai': 'model-a',
  'google-gemini': 'model-a',
  'aws-bedrock': 'amazon.titan-embed-text-v2:0',
  ollama: 'model-a',
};
const TYPES = Object.keys(CHAT_MODEL) as ProviderType[];

beforeAll(async () => {
  h = await startGatewayHarness();
  for (const type of TYPES) {
    const models = [CHAT_MODEL[type], ...(EMBED_MODEL[type] && EMBED_MODEL[type] !== CHAT_MODEL[type] ? [EMBED_MODEL[type]] : [])];
    await h.addAccount({ type, name: `acct-${type}`, enabledModels: models });
  }
  client = h.client((await h.createKey('member', 'z-member-all')).key);
});
afterAll(() => h.close());

describe.each(TYPES)('%s', (type) => {
  const model = `acct-${type}/${CHAT_MODEL[type]}`;

  it('answers a chat completion', async () => {
    const completion = await client.chat.completions.create({ model, messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }], max_tokens: 100 });
    expect(completion.model).toBe(model);
    expect(completion.choices[0].message.content).toBe(`Echo ${CHAT_MODEL[type]}: hi`);
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(completion.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('streams a chat completion with usage', async () => {
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'stream please' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage = null;
    let finish = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(`Echo ${CHAT_MODEL[type]}: stream please`);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
  });

  it('returns a tool call, and reads the tool result back', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', description: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const first = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'weather?' }], tools });
    expect(first.choices[0].finish_reason).toBe('tool_calls');
    const call = first.choices[0].message.tool_calls![0];
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
    const second = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'weather?' }, first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: 'sunny' }],
      tools,
    });
    expect(second.choices[0].message.content).toBe(`Echo ${CHAT_MODEL[type]}: weather?`);
  });

  const embedModel = EMBED_MODEL[type];
  if (embedModel) {
    it('creates embeddings', async () => {
      const result = await client.embeddings.create({ model: `acct-${type}/${embedModel}`, input: 'one two three', encoding_format: 'float' });
      expect(result.data).toHaveLength(1);
      expect(result.data[0].embedding.length).toBeGreaterThan(0);
      expect(result.usage.prompt_tokens).toBeGreaterThan(0);
    });
  } else {
    it('refuses embeddings with a clear 400', async () => {
      const error = await client.embeddings.create({ model, input: 'x' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as Error).message).toContain('no embeddings API');
    });
  }
});

it('refuses a parameter the upstream cannot honour instead of dropping it', async () => {
  const error = await client.chat.completions.create({ model: 'acct-anthropic/model-a', messages: [{ role: 'user', content: 'hi' }], logit_bias: { '50256': -100 } }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpenAI.BadRequestError);
  expect((error as InstanceType<typeof OpenAI.APIError>).param).toBe('logit_bias');
});

it('spreads a bare model name over every account that serves it', async () => {
  const before = h.fake.requests.length;
  for (let i = 0; i < 12; i += 1) await client.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }] });
  const providers = new Set(h.fake.requests.slice(before).map((r) => r.provider));
  // Six accounts serve model-a (Bedrock's model has another name): each got two of the twelve.
  expect(providers.size).toBe(6);
});

it('sends an alias to the upstream under its target name (an Azure deployment)', async () => {
  await h.addAccount({ type: 'azure-openai', name: 'azure-alias', enabledModels: [], modelAliases: { 'gpt-4o': 'prod-deployment' } });
  const completion = await client.chat.completions.create({ model: 'azure-alias/gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
  expect(completion.model).toBe('azure-alias/gpt-4o');
  expect(completion.choices[0].message.content).toBe('Echo prod-deployment: hi');
  expect(h.fake.requests.at(-1)!.url).toMatch(/^\/openai\/deployments\/prod-deployment\/chat\/completions\?api-version=/);
});
