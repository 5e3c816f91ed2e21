// The inbound POST /v1/chat/completions body, exactly as OpenAI documents it. Strict: a field
// OpenAI does not define is a 400 naming it, as OpenAI itself answers, never silently ignored.
import { z } from 'zod';

const MAX_MESSAGES = 10_000;
const MAX_TOOLS = 512;

const textPart = z.object({ type: z.literal('text'), text: z.string() }).strict();
const imagePart = z
  .object({
    type: z.literal('image_url'),
    image_url: z.object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }).strict(),
  })
  .strict();
const audioPart = z
  .object({ type: z.literal('input_audio'), input_audio: z.object({ data: z.string(), format: z.enum(['wav', 'mp3']) }).strict() })
  .strict();
const filePart = z
  .object({
    type: z.literal('file'),
    file: z.object({ file_data: z.string().optional(), file_id: z.string().optional(), filename: z.string().optional() }).strict(),
  })
  .strict();
const refusalPart = z.object({ type: z.literal('refusal'), refusal: z.string() }).strict();

export const userContentPart = z.discriminatedUnion('type', [textPart, imagePart, audioPart, filePart]);

const toolCall = z
  .object({
    id: z.string().min(1),
    type: z.literal('function'),
    function: z.object({ name: z.string().min(1), arguments: z.string() }).strict(),
  })
  .strict();

const systemMessage = z
  .object({ role: z.enum(['system', 'developer']), content: z.union([z.string(), z.array(textPart)]), name: z.string().optional() })
  .strict();
const userMessage = z
  .object({ role: z.literal('user'), content: z.union([z.string(), z.array(userContentPart)]), name: z.string().optional() })
  .strict();
const assistantMessage = z
  .object({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textPart, refusalPart]))]).nullable().optional(),
    name: z.string().optional(),
    refusal: z.string().nullable().optional(),
    tool_calls: z.array(toolCall).optional(),
    function_call: z.object({ name: z.string(), arguments: z.string() }).strict().nullable().optional(),
    audio: z.object({ id: z.string() }).strict().nullable().optional(),
  })
  .strict();
const toolMessage = z
  .object({ role: z.literal('tool'), content: z.union([z.string(), z.array(textPart)]), tool_call_id: z.string().min(1) })
  .strict();
const functionMessage = z.object({ role: z.literal('function'), content: z.string().nullable(), name: z.string() }).strict();

export const chatMessage = z.discriminatedUnion('role', [systemMessage, userMessage, assistantMessage, toolMessage, functionMessage]);

const jsonSchemaObject = z.record(z.string(), z.unknown());

export const functionTool = z
  .object({
    type: z.literal('function'),
    function: z
      .object({
        name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "_" or "-"'),
        description: z.string().optional(),
        parameters: jsonSchemaObject.optional(),
        strict: z.boolean().nullable().optional(),
      })
      .strict(),
  })
  .strict();

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1) }).strict() }).strict(),
]);

const responseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }).strict(),
  z.object({ type: z.literal('json_object') }).strict(),
  z
    .object({
      type: z.literal('json_schema'),
      json_schema: z
        .object({
          name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
          description: z.string().optional(),
          schema: jsonSchemaObject.optional(),
          strict: z.boolean().nullable().optional(),
        })
        .strict(),
    })
    .strict(),
]);

export const chatCompletionRequest = z
  .object({
    model: z.string().min(1).max(512),
    messages: z.array(chatMessage).min(1, 'must contain at least one message').max(MAX_MESSAGES),
    stream: z.boolean().nullable().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional(), include_obfuscation: z.boolean().optional() }).strict().nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    n: z.number().int().min(1).max(128).nullable().optional(),
    stop: z.union([z.string(), z.array(z.string()).max(4)]).nullable().optional(),
    max_tokens: z.number().int().min(1).nullable().optional(),
    max_completion_tokens: z.number().int().min(1).nullable().optional(),
    presence_penalty: z.number().min(-2).max(2).nullable().optional(),
    frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
    logit_bias: z.record(z.string(), z.number().min(-100).max(100)).nullable().optional(),
    logprobs: z.boolean().nullable().optional(),
    top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
    user: z.string().max(512).optional(),
    safety_identifier: z.string().max(512).optional(),
    prompt_cache_key: z.string().max(512).optional(),
    seed: z.number().int().nullable().optional(),
    tools: z.array(functionTool).max(MAX_TOOLS).optional(),
    tool_choice: toolChoice.optional(),
    parallel_tool_calls: z.boolean().optional(),
    response_format: responseFormat.optional(),
    reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high']).nullable().optional(),
    verbosity: z.enum(['low', 'medium', 'high']).nullable().optional(),
    metadata: z.record(z.string().max(64), z.string().max(512)).nullable().optional(),
    store: z.boolean().nullable().optional(),
    service_tier: z.enum(['auto', 'default', 'flex', 'scale', 'priority']).nullable().optional(),
    modalities: z.array(z.enum(['text', 'audio'])).nullable().optional(),
    audio: z.object({ voice: z.string(), format: z.string() }).strict().nullable().optional(),
    prediction: z.object({ type: z.literal('content'), content: z.union([z.string(), z.array(textPart)]) }).strict().nullable().optional(),
    web_search_options: z.record(z.string(), z.unknown()).optional(),
    functions: z.array(functionTool.shape.function).optional(),
    function_call: z.union([z.enum(['none', 'auto']), z.object({ name: z.string() }).strict()]).optional(),
  })
  .strict();

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;
export type ChatMessage = z.infer<typeof chatMessage>;
export type UserContentPart = z.infer<typeof userContentPart>;
export type FunctionTool = z.infer<typeof functionTool>;

/** Every top-level field a request may carry; adapters list the ones they cannot honour against it. */
export type ChatRequestField = keyof ChatCompletionRequest;
