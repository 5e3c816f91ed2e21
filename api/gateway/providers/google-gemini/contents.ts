// OpenAI messages to Gemini's `systemInstruction` and `contents`: roles, text, inline media, function
// calls and function responses. Generation settings and tool declarations are chat-completions.ts's.
import type { ChatMessage, UserContentPart } from '../../openai/chat-request';
import { RequestInvalid, UnsupportedParameter } from '../../../errors';
import { parseBase64DataUrl } from '../data-url';
import { GEMINI_PROVIDER } from './candidates';

export type GeminiPart = Record<string, unknown>;

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

export interface GeminiConversation {
  systemInstruction?: { parts: GeminiPart[] };
  contents: GeminiContent[];
}

type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;
type ToolMessage = Extract<ChatMessage, { role: 'tool' }>;

// Gemini 3 answers 400 when a replayed function call lacks the thought signature it was issued
// with, and OpenAI's message shape has nowhere to carry one back. Google documents this value for
// history the model did not produce itself; the model then goes on without its earlier reasoning.
export const FOREIGN_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

function toTextParts(content: string | ReadonlyArray<{ type: string; text?: string; refusal?: string }>): GeminiPart[] {
  const texts = typeof content === 'string' ? [content] : content.map((part) => part.text ?? part.refusal ?? '');
  // Gemini rejects empty text parts, and an empty string says nothing anyway.
  return texts.filter((text) => text !== '').map((text) => ({ text }));
}

/** A base64 data: URL as inlineData; anything else is refused (Gemini fetches no URLs; files need its Files API). */
function toInlineData(url: string, what: string): GeminiPart {
  const parsed = parseBase64DataUrl(url);
  if (!parsed) throw new UnsupportedParameter('messages', GEMINI_PROVIDER, `${what} must be a base64 data: URL; Gemini does not fetch http(s) URLs`);
  return { inlineData: { mimeType: parsed.mediaType, data: parsed.data } };
}

function toUserPart(part: UserContentPart): GeminiPart | null {
  switch (part.type) {
    case 'text':
      return part.text === '' ? null : { text: part.text };
    case 'image_url':
      // `detail` has no per-part equivalent (Gemini's mediaResolution is request-wide); it is a cost hint only.
      return toInlineData(part.image_url.url, 'image_url.url');
    case 'input_audio':
      return { inlineData: { mimeType: `audio/${part.input_audio.format}`, data: part.input_audio.data } };
    case 'file':
      if (part.file.file_data === undefined) throw new UnsupportedParameter('messages', GEMINI_PROVIDER, 'file_id refers to an OpenAI upload; send file_data');
      return toInlineData(part.file.file_data, 'file.file_data');
  }
}

function parseArguments(text: string, where: string): Record<string, unknown> {
  let args: unknown;
  try {
    args = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new RequestInvalid(`${where}.function.arguments is not valid JSON`, 'messages');
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new RequestInvalid(`${where}.function.arguments must be a JSON object`, 'messages');
  }
  return args as Record<string, unknown>;
}

function toModelParts(message: AssistantMessage, index: number): GeminiPart[] {
  if (message.audio) throw new UnsupportedParameter('messages', GEMINI_PROVIDER, 'assistant audio references');
  if (message.function_call) throw new UnsupportedParameter('messages', GEMINI_PROVIDER, 'legacy function_call; use tool_calls');
  const parts = message.content ? toTextParts(message.content) : [];
  // A refusal the client kept only in `refusal` is still what the model said in that turn.
  if (parts.length === 0 && message.refusal) parts.push({ text: message.refusal });
  for (const [callIndex, call] of (message.tool_calls ?? []).entries()) {
    const args = parseArguments(call.function.arguments, `messages[${index}].tool_calls[${callIndex}]`);
    parts.push({ functionCall: { name: call.function.name, args } });
  }
  return parts;
}

/** Gemini names a function response by the function's name, which OpenAI keeps only on the call. */
function findCalledName(messages: readonly ChatMessage[], index: number, toolCallId: string): string {
  // Backwards, so the nearest call wins when a client reuses ids across turns.
  for (let earlier = index - 1; earlier >= 0; earlier -= 1) {
    const message = messages[earlier];
    if (message?.role !== 'assistant') continue;
    const call = message.tool_calls?.find((candidate) => candidate.id === toolCallId);
    if (call) return call.function.name;
  }
  throw new RequestInvalid(`messages[${index}].tool_call_id matches no tool call of an earlier assistant message`, 'messages');
}

function toFunctionResponse(message: ToolMessage, messages: readonly ChatMessage[], index: number): GeminiPart {
  const text = typeof message.content === 'string' ? message.content : message.content.map((part) => part.text).join('');
  let content: unknown = text;
  try {
    content = JSON.parse(text);
  } catch {
    // Plain text stays text.
  }
  return { functionResponse: { name: findCalledName(messages, index, message.tool_call_id), response: { content } } };
}

/**
 * System and developer messages become one systemInstruction (Gemini has no system turn, so one
 * sent mid-conversation moves to the top); tool results are user turns; consecutive turns of the
 * same role merge, as Gemini expects user and model to alternate.
 */
export function toGeminiConversation(messages: readonly ChatMessage[]): GeminiConversation {
  const system: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  const append = (role: GeminiContent['role'], parts: GeminiPart[]): void => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  messages.forEach((message, index) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...toTextParts(message.content));
        return;
      case 'user':
        // `name` is dropped: Gemini turns carry no participant names.
        append('user', typeof message.content === 'string' ? toTextParts(message.content) : message.content.map(toUserPart).filter((part) => part !== null));
        return;
      case 'assistant':
        append('model', toModelParts(message, index));
        return;
      case 'tool':
        append('user', [toFunctionResponse(message, messages, index)]);
        return;
      case 'function':
        throw new UnsupportedParameter('messages', GEMINI_PROVIDER, 'legacy function messages; use tool messages');
    }
  });

  for (const content of contents) {
    const firstCall = content.role === 'model' ? content.parts.find((part) => part.functionCall !== undefined) : undefined;
    if (firstCall) firstCall.thoughtSignature = FOREIGN_THOUGHT_SIGNATURE;
  }
  return system.length > 0 ? { systemInstruction: { parts: system }, contents } : { contents };
}
