// Token counts for when the upstream reports none (streams that omit usage, embeddings without
// counts): OpenAI's o200k_base encoding via gpt-tokenizer. Exact for OpenAI models, a close
// estimate for the others. Loading the encoding takes about half a second, so the server warms it
// before it listens (warmTokenCounter) and everything else loads it on first use.
import { LRUCache } from 'lru-cache';
import type { ChatCompletionRequest } from './openai/chat-request';
import { sha256 } from '../vault/sha256';

type Encoding = { countTokens(text: string, options?: { disallowedSpecial: Set<string> }): number };
let encoding: Encoding | null = null;

// Text as ordinary text: "<|endoftext|>" and the other special tokens' spellings in a prompt (a
// question about tokenizers, a pasted transcript) are counted as the characters they are, as the
// upstream counts text a client sent. gpt-tokenizer's default refuses such text with an Error,
// which turned the estimate of an ordinary call into a 500. No pattern to search for, either.
const ORDINARY_TEXT = { disallowedSpecial: new Set<string>() };

function getEncoding(): Encoding {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  encoding ??= require('gpt-tokenizer/encoding/o200k_base') as Encoding;
  return encoding;
}

export function warmTokenCounter(): void {
  getEncoding().countTokens('warm');
}

export function countTextTokens(text: string): number {
  return text === '' ? 0 : getEncoding().countTokens(text, ORDINARY_TEXT);
}

// Prompts repeat: a chat sends its whole history again on every turn, an agent its system prompt
// and tool definitions. Counting 8 KB takes about 0.3 ms of the event loop, so the counts of prompt
// texts are kept, keyed by their SHA-256 digest: no prompt text stays in memory. Since the digest
// became text (vault/sha256.ts), hashing and a lookup take about 0.6 µs against 1-3 µs to count even
// a short message (microbenchmark, 100k calls), so short texts are remembered too.
const remembered = new LRUCache<string, number>({ max: 20_000 });

/** countTextTokens for prompt parts, which come back call after call. */
export function countPromptTextTokens(text: string): number {
  if (text === '') return 0;
  const digest = sha256(text);
  let count = remembered.get(digest);
  if (count === undefined) {
    count = countTextTokens(text);
    remembered.set(digest, count);
  }
  return count;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: { text?: unknown }) => (typeof part.text === 'string' ? part.text : '')).join('\n');
}

// OpenAI's published accounting: about 3 tokens of framing per message and 3 to prime the reply.
const TOKENS_PER_MESSAGE = 3;
const TOKENS_TO_PRIME_REPLY = 3;

export function countPromptTokens(request: ChatCompletionRequest): number {
  let total = TOKENS_TO_PRIME_REPLY;
  for (const message of request.messages) {
    total += TOKENS_PER_MESSAGE + countPromptTextTokens(contentText(message.content));
    if (message.role === 'assistant' && message.tool_calls) {
      for (const call of message.tool_calls) total += countTextTokens(call.function.name) + countPromptTextTokens(call.function.arguments);
    }
  }
  if (request.tools) total += countPromptTextTokens(JSON.stringify(request.tools));
  return total;
}
