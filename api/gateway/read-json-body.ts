// Reads a /v1 request body with a size cap and parses it as JSON, without a framework. Over the cap
// is a 413 as soon as the cap is crossed (the rest is not buffered); bad JSON is a 400. A body that
// has already arrived whole is taken from the request's buffer; otherwise plain stream events rather
// than an async iterator: this runs on every call.
import type { IncomingMessage } from 'node:http';
import { BodyTooLarge, KeyholdError, RequestInvalid } from '../errors';
import { takeBufferedBody } from './buffered-body';

const JSON_TYPE = /^application\/([\w.+-]*\+)?json\b/i;

function collect(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** The body: from the request's buffer when it came whole with the headers, else as it arrives. */
async function takeBody(req: IncomingMessage, declared: number, maxBytes: number): Promise<Buffer> {
  // The parser hands over a body that came with the headers right after the 'request' event.
  await undefined;
  return takeBufferedBody(req, declared) ?? collect(req, maxBytes);
}

/** A 415 when the request says its body is something other than JSON; none says nothing (the body is read as JSON). */
export function refuseNonJson(type: string | undefined): void {
  if (type && !JSON_TYPE.test(type)) {
    throw new KeyholdError('body: send JSON with content-type application/json', 'ERR_VALIDATION', 415, 'invalid_request_error', 'body');
  }
}

export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  refuseNonJson(req.headers['content-type']);
  // NaN without a Content-Length (chunked): no cap check up front, and no body taken whole.
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) throw new BodyTooLarge();
  const body = await takeBody(req, declared, maxBytes);
  if (body.length === 0) throw new RequestInvalid('body: a JSON object is required', 'body');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new RequestInvalid('body: malformed JSON', 'body');
  }
}
