// Upstream stream bytes to text, as the SSE and NDJSON decoders read them: the same text as
// TextDecoder('utf-8') gives for the whole body, however the bytes are cut into reads.
import { createUtf8Text } from '@api/gateway/stream/utf8-text';
import { createSseDecoder } from '@api/gateway/stream/sse-decoder';
import { createNdjsonDecoder } from '@api/gateway/stream/ndjson-decoder';

const BOM = [0xef, 0xbb, 0xbf];

function readAll(bytes: Uint8Array, cuts: number[]): string {
  const text = createUtf8Text();
  let out = '';
  let from = 0;
  for (const at of [...cuts, bytes.length]) {
    out += text.write(bytes.subarray(from, at));
    from = at;
  }
  return out + text.end();
}

const everyCut = (bytes: Uint8Array): number[][] => Array.from({ length: bytes.length + 1 }, (_, at) => [at]);

describe('utf-8 stream text', () => {
  const cases: [string, Uint8Array][] = [
    ['ASCII', Buffer.from('data: {"content":"hi"}\n\n')],
    ['two-, three- and four-byte characters', Buffer.from('Héllo, 世界 🙂!')],
    ['a byte order mark at the start', Uint8Array.from([...BOM, ...Buffer.from('data: x\n\n')])],
    ['a byte order mark that is not at the start', Buffer.from('a\uFEFFb')],
    ['an invalid byte', Uint8Array.from([0x61, 0xff, 0x62])],
    ['a character cut off by the end', Buffer.from('ab🙂').subarray(0, 4)],
  ];

  it.each(cases)('%s: the same text as TextDecoder, cut anywhere and byte by byte', (_name, bytes) => {
    const expected = new TextDecoder('utf-8').decode(bytes);
    for (const cuts of everyCut(bytes)) expect(readAll(bytes, cuts)).toBe(expected);
    expect(readAll(bytes, Array.from({ length: bytes.length }, (_, i) => i))).toBe(expected);
  });

  it('drops the byte order mark even when it arrives one byte per read', () => {
    const text = createUtf8Text();
    expect(BOM.map((byte) => text.write(Uint8Array.of(byte))).join('')).toBe('');
    expect(text.write(Buffer.from('\uFEFFx'))).toBe('\uFEFFx');
  });

  it('an SSE stream that starts with a byte order mark keeps its first event', () => {
    const sse = createSseDecoder();
    const events = [...sse.push(Uint8Array.from(BOM)), ...sse.push(Buffer.from('data: {"n":1}\n\ndata: {"n":2}\n\n'))];
    expect(events.map((event) => event.data)).toStrictEqual(['{"n":1}', '{"n":2}']);
  });

  it('an NDJSON stream keeps a character split across reads and a last line without its newline', () => {
    const ndjson = createNdjsonDecoder();
    const bytes = Buffer.from('{"t":"é"}\n{"t":"🙂"}');
    const values = [...ndjson.push(bytes.subarray(0, 8)), ...ndjson.push(bytes.subarray(8, 19)), ...ndjson.push(bytes.subarray(19)), ...ndjson.finish()];
    expect(values).toStrictEqual([{ t: 'é' }, { t: '🙂' }]);
  });
});
