// UTF-8 bytes of a stream to text, read by read: a character split across two reads comes out
// whole with the second, an invalid sequence as U+FFFD, and a byte order mark at the start is
// dropped (what TextDecoder('utf-8') does). StringDecoder, not TextDecoder: a TextDecoder makes an
// ICU converter when it is created, and every streamed answer needs a fresh one; that showed in
// the streaming profile at about three times what a StringDecoder costs.
import { StringDecoder } from 'node:string_decoder';

const BOM = '\uFEFF';

export interface Utf8Text {
  /** The text these bytes complete. */
  write(bytes: Uint8Array): string;
  /** What is left once the bytes have ended (an incomplete character becomes U+FFFD). */
  end(): string;
}

export function createUtf8Text(): Utf8Text {
  const decoder = new StringDecoder('utf8');
  let started = false;
  const withoutBom = (text: string): string => {
    if (started || text === '') return text;
    started = true;
    return text.startsWith(BOM) ? text.slice(1) : text;
  };
  return {
    write: (bytes) => withoutBom(decoder.write(bytes)),
    end: () => withoutBom(decoder.end()),
  };
}
