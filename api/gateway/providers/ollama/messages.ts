// OpenAI chat messages to Ollama's /api/chat messages: one string `content` each, images as bare
// base64, tool-call arguments as objects, tool results named by the call they answer.
// Sampling parameters, tools and the answer are in ./chat-completions.ts.
import type { ChatMessage, UserContentPart } from '../../openai/chat-request';
import { UnsupportedParameter } from '../../../errors';
import { parseBase64DataUrl } from '../data-url';
import { parseToolArguments } from '../tool-arguments';

export interface OllamaToolCall {
  function: { name: string; arguments: Record<string, unknown> };
}

export interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  images?: string[];
  tool_calls?: OllamaToolCall[];
  tool_name?: string;
}

const PROVIDER = 'ollama';

type TextLikePart = { type: 'text'; text: string } | { type: 'refusal'; refusal: string };

// Ollama takes one string per message; parts are joined on new lines so words never run together.
function joinText(content: string | readonly TextLikePart[] | null | undefined): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : part.refusal)).join('\n');
}

// Ollama cannot fetch URLs: it only takes the image bytes, base64-encoded without the data: prefix.
function readDataUrlImage(url: string, param: string): string {
  const parsed = parseBase64DataUrl(url.trim());
  if (!parsed?.data) throw new UnsupportedParameter(param, PROVIDER, 'images must be base64 data: URLs; Ollama cannot fetch image URLs');
  return parsed.data;
}

function toUserMessage(content: string | readonly UserContentPart[], param: string): OllamaMessage {
  if (typeof content === 'string') return { role: 'user', content };
  const texts: string[] = [];
  const images: string[] = [];
  for (const part of content) {
    if (part.type === 'text') texts.push(part.text);
    else if (part.type === 'image_url') images.push(readDataUrlImage(part.image_url.url, param));
    else throw new UnsupportedParameter(param, PROVIDER, part.type === 'input_audio' ? 'no audio input' : 'no file input');
  }
  const message: OllamaMessage = { role: 'user', content: texts.join('\n') };
  if (images.length > 0) message.images = images;
  return message;
}

// Ollama wants the arguments as an object: a string is a 400 there.
function toToolArguments(text: string, param: string): Record<string, unknown> {
  const args = parseToolArguments(text);
  if (!args) throw new UnsupportedParameter(param, PROVIDER, 'tool call arguments must be a JSON object');
  return args;
}

function toAssistantMessage(message: Extract<ChatMessage, { role: 'assistant' }>, param: string): OllamaMessage {
  if (message.audio) throw new UnsupportedParameter(`${param}.audio`, PROVIDER, 'no audio output');
  if (message.function_call) throw new UnsupportedParameter(`${param}.function_call`, PROVIDER, 'legacy function calls; use tool_calls');
  const content = joinText(message.content) || (message.refusal ?? '');
  const result: OllamaMessage = { role: 'assistant', content };
  if (message.tool_calls && message.tool_calls.length > 0) {
    result.tool_calls = message.tool_calls.map((call, j) => ({
      function: { name: call.function.name, arguments: toToolArguments(call.function.arguments, `${param}.tool_calls[${j}].function.arguments`) },
    }));
  }
  return result;
}

/**
 * Ollama names a tool result by its tool, not by a call id: the name comes from the nearest earlier
 * assistant message that made the call (the nearest, because ids Keyhold made up repeat across turns).
 */
function findToolName(messages: readonly ChatMessage[], before: number, toolCallId: string): string | undefined {
  for (let i = before - 1; i >= 0; i -= 1) {
    const message = messages[i];
    if (message?.role !== 'assistant') continue;
    const call = message.tool_calls?.find((candidate) => candidate.id === toolCallId);
    if (call) return call.function.name;
  }
  return undefined;
}

/** Names (`name`) on messages have no Ollama field and are dropped: they are labels, not content. */
export function toOllamaMessages(messages: readonly ChatMessage[]): OllamaMessage[] {
  return messages.map((message, i): OllamaMessage => {
    const param = `messages[${i}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: joinText(message.content) };
      case 'user':
        return toUserMessage(message.content, `${param}.content`);
      case 'assistant':
        return toAssistantMessage(message, param);
      case 'tool': {
        const toolName = findToolName(messages, i, message.tool_call_id);
        const result: OllamaMessage = { role: 'tool', content: joinText(message.content) };
        if (toolName !== undefined) result.tool_name = toolName;
        return result;
      }
      case 'function':
        throw new UnsupportedParameter(`${param}.role`, PROVIDER, 'legacy function messages; use tool messages');
    }
  });
}
