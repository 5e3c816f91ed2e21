// OpenAI's messages as Anthropic's: system/developer lifted to the top-level `system`, everything
// else as content blocks in strictly alternating user/assistant turns (tool results ride in user
// turns). The rest of the request (sampling, tools) is built in chat-completions.ts.
import type { ChatMessage, UserContentPart } from '../../openai/chat-request';
import { RequestInvalid, UnsupportedParameter } from '../../../errors';
import { parseBase64DataUrl } from '../data-url';
import { parseToolArguments } from '../tool-arguments';

export interface AnthropicTextBlock {
  type: 'text';
  text: string;
}

export type AnthropicBlock =
  | AnthropicTextBlock
  | { type: 'image'; source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string } }
  | { type: 'document'; source: { type: 'base64'; media_type: 'application/pdf'; data: string }; title?: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; tool_use_id: string; content: string | AnthropicTextBlock[] };

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: AnthropicBlock[];
}

// The image types Anthropic's vision models read; anything else is refused here rather than by a vaguer upstream 400.
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

type TextContent = string | ReadonlyArray<{ text: string }>;

function joinText(content: TextContent): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('\n');
}

/** Anthropic rejects empty text blocks; an empty OpenAI text part carries nothing, so it is left out. */
function toTextBlocks(texts: readonly string[]): AnthropicTextBlock[] {
  return texts.filter((text) => text !== '').map((text) => ({ type: 'text', text }));
}

function toImageBlock(url: string): AnthropicBlock {
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  const parsed = parseBase64DataUrl(url);
  if (!parsed) throw new UnsupportedParameter('messages', 'anthropic', 'image URLs must be http(s) or base64 data: URLs');
  if (!IMAGE_TYPES.has(parsed.mediaType)) {
    throw new UnsupportedParameter('messages', 'anthropic', `image type ${parsed.mediaType}; use jpeg, png, gif or webp`);
  }
  return { type: 'image', source: { type: 'base64', media_type: parsed.mediaType, data: parsed.data } };
}

function toFileBlock(file: { file_data?: string; file_id?: string; filename?: string }): AnthropicBlock {
  // OpenAI file ids name files stored at OpenAI; Anthropic cannot read them.
  const parsed = file.file_data === undefined ? null : parseBase64DataUrl(file.file_data);
  if (!parsed || parsed.mediaType !== 'application/pdf') {
    throw new UnsupportedParameter('messages', 'anthropic', 'files must be PDFs sent inline as base64 data: URLs');
  }
  const block: AnthropicBlock = { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: parsed.data } };
  return file.filename ? { ...block, title: file.filename } : block;
}

function toUserBlock(part: UserContentPart): AnthropicBlock | null {
  switch (part.type) {
    case 'text':
      return part.text === '' ? null : { type: 'text', text: part.text };
    // `detail` is a resolution hint with no Anthropic equivalent; the image itself is sent whole.
    case 'image_url':
      return toImageBlock(part.image_url.url);
    case 'file':
      return toFileBlock(part.file);
    case 'input_audio':
      throw new UnsupportedParameter('messages', 'anthropic', 'audio input');
  }
}

function toToolInput(text: string, callId: string): Record<string, unknown> {
  const input = parseToolArguments(text);
  if (!input) {
    throw new RequestInvalid(`messages: the arguments of tool call ${callId} are not a JSON object; Anthropic needs one as tool input.`, 'messages');
  }
  return input;
}

function toAssistantBlocks(message: Extract<ChatMessage, { role: 'assistant' }>): AnthropicBlock[] {
  if (message.function_call) throw new UnsupportedParameter('messages', 'anthropic', 'legacy function_call in history; send tool_calls');
  if (message.audio) throw new UnsupportedParameter('messages', 'anthropic', 'audio replies in history');
  const content = message.content ?? [];
  // A refusal is what the assistant said: replayed as text, the only form Anthropic takes it back in.
  const texts = typeof content === 'string' ? [content] : content.map((part) => (part.type === 'text' ? part.text : part.refusal));
  if (message.refusal) texts.push(message.refusal);
  const calls: AnthropicBlock[] = (message.tool_calls ?? []).map((call) => ({
    type: 'tool_use',
    id: call.id,
    name: call.function.name,
    input: toToolInput(call.function.arguments, call.id),
  }));
  return [...toTextBlocks(texts), ...calls];
}

function toToolResultBlock(message: Extract<ChatMessage, { role: 'tool' }>): AnthropicBlock {
  const content = typeof message.content === 'string' ? message.content : toTextBlocks(message.content.map((part) => part.text));
  return { type: 'tool_result', tool_use_id: message.tool_call_id, content };
}

/**
 * Anthropic requires user and assistant turns to alternate, so consecutive same-role messages
 * (several tool results, a tool result then the user's next words) become one turn, in order.
 * A message left with no blocks (an empty text) is skipped: it said nothing.
 */
function appendTurn(turns: AnthropicMessage[], role: AnthropicMessage['role'], blocks: AnthropicBlock[]): void {
  if (blocks.length === 0) return;
  const last = turns[turns.length - 1];
  if (last?.role === role) last.content.push(...blocks);
  else turns.push({ role, content: blocks });
}

/**
 * `name` on a message has no Anthropic equivalent and is dropped: it labels participants, and the
 * content still reaches the model. System prompts anywhere in the list join the one top-level `system`.
 */
export function toAnthropicMessages(messages: readonly ChatMessage[]): { system: string | null; messages: AnthropicMessage[] } {
  const system: string[] = [];
  const turns: AnthropicMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(joinText(message.content));
        break;
      case 'user': {
        const parts: UserContentPart[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
        appendTurn(turns, 'user', parts.map(toUserBlock).filter((block): block is AnthropicBlock => block !== null));
        break;
      }
      case 'assistant':
        appendTurn(turns, 'assistant', toAssistantBlocks(message));
        break;
      case 'tool':
        appendTurn(turns, 'user', [toToolResultBlock(message)]);
        break;
      case 'function':
        throw new UnsupportedParameter('messages', 'anthropic', 'legacy function messages; send tool messages');
    }
  }
  const joined = system.filter((text) => text !== '').join('\n\n');
  return { system: joined === '' ? null : joined, messages: turns };
}
