// Token estimates for prompts: prompt texts are counted once and their counts remembered (by
// digest), so a chat that sends its history again on every turn does not pay the tokenizer again.
import { countPromptTextTokens, countPromptTokens, countTextTokens } from '@api/gateway/token-count';
import type { ChatCompletionRequest } from '@api/gateway/openai/chat-request';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const encoding = require('gpt-tokenizer/encoding/o200k_base') as { countTokens(text: string): number };

const paragraph = (seed: string) =>
  Array.from({ length: 40 }, (_, i) => `${seed} sentence ${i} talks about budgets, limits and the usage journal.`).join(' ');

describe('prompt token counts', () => {
  afterEach(() => jest.restoreAllMocks());

  it('counts a long prompt text once, and answers the same count for the same text again', () => {
    const text = paragraph('first');
    const expected = encoding.countTokens(text);
    const tokenizer = jest.spyOn(encoding, 'countTokens');
    expect(countPromptTextTokens(text)).toBe(expected);
    // A new string with the same content, as the next request's parsed body would carry.
    expect(countPromptTextTokens(`${text.slice(0, 10)}${text.slice(10)}`)).toBe(expected);
    expect(tokenizer).toHaveBeenCalledTimes(1);
  });

  it('counts a different text of the same length on its own', () => {
    const a = paragraph('alpha');
    const b = paragraph('gamma');
    expect(a.length).toBe(b.length);
    const tokenizer = jest.spyOn(encoding, 'countTokens');
    countPromptTextTokens(a);
    countPromptTextTokens(b);
    expect(tokenizer).toHaveBeenCalledTimes(2);
    expect(countPromptTextTokens(b)).toBe(encoding.countTokens(b));
  });

  it('remembers a short text too, and counts an empty one as nothing without the tokenizer', () => {
    const tokenizer = jest.spyOn(encoding, 'countTokens');
    const expected = encoding.countTokens('Say hello there');
    expect(countPromptTextTokens('Say hello there')).toBe(expected);
    expect(countPromptTextTokens(['Say', 'hello', 'there'].join(' '))).toBe(expected);
    expect(countPromptTextTokens('')).toBe(0);
    // Once for `expected`, once for the first estimate.
    expect(tokenizer).toHaveBeenCalledTimes(2);
  });

  it("counts the special tokens' spellings as ordinary text, in prompts and answers", () => {
    // As one special token "<|endoftext|>" would be 1; as the characters a client sent, several.
    expect(countTextTokens('<|endoftext|>')).toBeGreaterThan(1);
    const long = `${paragraph('special')} <|im_start|>system<|im_end|>`;
    expect(countPromptTokens({ model: 'm', messages: [{ role: 'user', content: long }] } as ChatCompletionRequest)).toBe(3 + 3 + countTextTokens(long));
  });

  it('estimates a conversation the same on every turn, tokenizing only what is new', () => {
    const history: ChatCompletionRequest['messages'] = [
      { role: 'system', content: paragraph('system') },
      { role: 'user', content: paragraph('question') },
      { role: 'assistant', content: paragraph('answer') },
    ];
    const direct = (messages: ChatCompletionRequest['messages']) => 3 + messages.reduce((sum, m) => sum + 3 + countTextTokens(m.content as string), 0);
    const turn1 = { model: 'm', messages: history } as ChatCompletionRequest;
    expect(countPromptTokens(turn1)).toBe(direct(history));
    const next = [...history, { role: 'user', content: paragraph('follow-up') }] as ChatCompletionRequest['messages'];
    const tokenizer = jest.spyOn(encoding, 'countTokens');
    expect(countPromptTokens({ model: 'm', messages: next } as ChatCompletionRequest)).toBe(direct(next));
    // direct() counted all four; the estimate itself tokenized only the new message.
    expect(tokenizer).toHaveBeenCalledTimes(4 + 1);
  });
});
