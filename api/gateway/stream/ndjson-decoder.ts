// Newline-delimited JSON (Ollama's stream) in, one parsed value per complete line out.
import { UpstreamStreamError } from '../upstream-stream-error';
import { createUtf8Text } from './utf8-text';

export interface NdjsonDecoder {
  push(bytes: Uint8Array): unknown[];
  /** Whatever is left after the body ended: a last line without its newline. */
  finish(): unknown[];
}

export function createNdjsonDecoder(): NdjsonDecoder {
  const text = createUtf8Text();
  let buffered = '';
  const parseLine = (line: string): unknown => {
    try {
      return JSON.parse(line);
    } catch {
      throw new UpstreamStreamError('the upstream sent a line that is not JSON');
    }
  };
  const drain = (text: string): unknown[] => {
    buffered += text;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    return lines.filter((line) => line.trim() !== '').map(parseLine);
  };
  return {
    push: (bytes) => drain(text.write(bytes)),
    finish: () => {
      const rest = drain(text.end()).concat(buffered.trim() === '' ? [] : [parseLine(buffered)]);
      buffered = '';
      return rest;
    },
  };
}
