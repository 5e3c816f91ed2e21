// File downloads the admin API streams (audit and usage exports): RFC 4180 CSV fields, a body that
// reads its first page before answering (so a failing query is still a clean JSON error), and the
// headers and piping every download shares.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';

/** RFC 4180: a field holding a comma, quote, CR or LF is quoted, with its quotes doubled; null is empty. */
export function toCsvField(value: string | number | boolean | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * For text a caller chose (a model name is whatever the client sent): a value a spreadsheet would run
 * as a formula gets a leading apostrophe, as OWASP advises for CSV exports.
 */
export function toFormulaSafeCsvField(value: string | number | boolean | null): string {
  return toCsvField(typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
}

/**
 * A body over `pages` whose first page is already read. After that a failure cuts the stream short,
 * so the client sees an incomplete download rather than a short file that looks complete. One page
 * in flight at a time: the response's own buffer applies the backpressure.
 */
export async function openPagedBody(pages: AsyncGenerator<string>): Promise<Readable> {
  const first = await pages.next();
  async function* all(): AsyncGenerator<string> {
    if (first.done) return;
    yield first.value;
    yield* pages;
  }
  return Readable.from(all(), { objectMode: true, highWaterMark: 1 });
}

export interface Download {
  contentType: string;
  fileName: string;
  body: Readable;
}

export async function sendDownload(res: Response, download: Download): Promise<void> {
  res.status(200).set({
    'content-type': download.contentType,
    'content-disposition': `attachment; filename="${download.fileName}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  await pipeline(download.body, res).catch((err: unknown) => {
    // The client went away mid-download: nothing to answer, nobody to tell.
    if ((err as NodeJS.ErrnoException | null)?.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
  });
}
