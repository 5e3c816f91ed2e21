// OpenAI's messages as Converse's `system` and `messages`: system/developer text moves to the
// top-level `system`, tool results become user turns, and consecutive turns of one role are merged
// because Converse requires user/assistant alternation. Parameters outside messages are not here.
import type { ChatMessage, UserContentPart } from '../../openai/chat-request';
import { UnsupportedParameter } from '../../../errors';
import { parseBase64DataUrl } from '../data-url';
import { parseToolArguments } from '../tool-arguments';

const PROVIDER = 'aws-bedrock';

export type ConverseImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

export type ConverseContentBlock =
  | { text: string }
  | { image: { format: ConverseImageFormat; source: { bytes: string } } }
  | { toolUse: { toolUseId: string; name: string; input: Record<string, unknown> } }
  | { toolResult: { toolUseId: string; content: Array<{ text: string }> } };

export interface ConverseMessage {
  role: 'user' | 'assistant';
  content: ConverseContentBlock[];
}

export interface ConverseConversation {
  system: Array<{ text: string }>;
  messages: ConverseMessage[];
}

const IMAGE_FORMATS: Readonly<Record<string, ConverseImageFormat>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

function textsOf(content: string | ReadonlyArray<{ text: string }> | null | undefined): string[] {
  if (content === null || content === undefined) return [];
  return typeof content === 'string' ? [content] : content.map((part) => part.text);
}

// Converse rejects blank text blocks, and OpenAI clients send content '' beside tool calls.
function toTextBlocks(texts: readonly string[]): ConverseContentBlock[] {
  return texts.filter((text) => text.trim() !== '').map((text) => ({ text }));
}

function toImageBlock(url: string, param: string): ConverseContentBlock {
  const parsed = parseBase64DataUrl(url);
  // Bedrock takes image bytes only; fetching a URL for the caller would make the gateway a fetch proxy.
  if (!parsed) throw new UnsupportedParameter(param, PROVIDER, 'images must be base64 data: URLs, Bedrock does not fetch image URLs');
  const format = IMAGE_FORMATS[parsed.mediaType];
  if (!format) throw new UnsupportedParameter(param, PROVIDER, 'images must be PNG, JPEG, GIF or WebP');
  return { image: { format, source: { bytes: parsed.data } } };
}

function toUserBlocks(content: string | UserContentPart[], index: number): ConverseContentBlock[] {
  if (typeof content === 'string') return toTextBlocks([content]);
  return content.flatMap((part, partIndex): ConverseContentBlock[] => {
    const param = `messages[${index}].content[${partIndex}]`;
    switch (part.type) {
      case 'text':
        return toTextBlocks([part.text]);
      case 'image_url':
        // `detail` is a resolution hint Converse has no knob for; the image itself is sent whole.
        return [toImageBlock(part.image_url.url, `${param}.image_url`)];
      case 'input_audio':
        throw new UnsupportedParameter(`${param}.input_audio`, PROVIDER, 'Converse takes no audio input');
      case 'file':
        throw new UnsupportedParameter(`${param}.file`, PROVIDER, 'file inputs are not translated to Bedrock documents');
    }
  });
}

function parseToolInput(text: string, param: string): Record<string, unknown> {
  const input = parseToolArguments(text);
  // Converse's toolUse.input is a JSON object; anything else would be refused upstream with a vaguer message.
  if (!input) throw new UnsupportedParameter(param, PROVIDER, 'tool call arguments must be a JSON object');
  return input;
}

type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

function toAssistantBlocks(message: AssistantMessage, index: number): ConverseContentBlock[] {
  if (message.function_call) throw new UnsupportedParameter(`messages[${index}].function_call`, PROVIDER, 'use tool_calls');
  if (message.audio) throw new UnsupportedParameter(`messages[${index}].audio`, PROVIDER, 'Converse has no audio output');
  const content = message.content;
  const texts = typeof content === 'string' || content === null || content === undefined
    ? textsOf(content)
    : content.map((part) => (part.type === 'text' ? part.text : part.refusal));
  if (message.refusal) texts.push(message.refusal);
  const toolUses = (message.tool_calls ?? []).map((call, callIndex): ConverseContentBlock => ({
    toolUse: {
      toolUseId: call.id,
      name: call.function.name,
      input: parseToolInput(call.function.arguments, `messages[${index}].tool_calls[${callIndex}].function.arguments`),
    },
  }));
  return [...toTextBlocks(texts), ...toolUses];
}

/** `name` on user and assistant messages is dropped: Converse has no participant names. */
export function toConverseConversation(messages: readonly ChatMessage[]): ConverseConversation {
  const system: Array<{ text: string }> = [];
  const converse: ConverseMessage[] = [];
  const append = (role: ConverseMessage['role'], blocks: ConverseContentBlock[]): void => {
    const last = converse.at(-1);
    if (last && last.role === role) last.content.push(...blocks);
    else converse.push({ role, content: blocks });
  };

  messages.forEach((message, index) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        // Converse has one top-level system prompt, so instructions from any position join it, in order.
        system.push(...(toTextBlocks(textsOf(message.content)) as Array<{ text: string }>));
        return;
      case 'user':
        return append('user', toUserBlocks(message.content, index));
      case 'assistant':
        return append('assistant', toAssistantBlocks(message, index));
      case 'tool':
        return append('user', [{ toolResult: { toolUseId: message.tool_call_id, content: textsOf(message.content).map((text) => ({ text })) } }]);
      case 'function':
        throw new UnsupportedParameter(`messages[${index}]`, PROVIDER, 'legacy function messages; use tool messages');
    }
  });
  return { system, messages: converse };
}
