// The one place errors become responses: OpenAI's shape { error: { message, type, code, param } }.
// Unknown errors answer a generic 500; their details go to the (scrubbed) log only.
import type { ErrorRequestHandler } from 'express';
import { KeyholdError } from '../errors';
import type { Logger } from '../log';

interface BodyParserError {
  type?: string;
  status?: number;
}

/** Express's body parser's refusals, as the KeyholdErrors they are; null for any other error. */
export function fromBodyParser(err: unknown): KeyholdError | null {
  const type = (err as BodyParserError)?.type;
  if (type === 'entity.too.large') return new KeyholdError('Request body too large.', 'ERR_BODY_TOO_LARGE', 413, 'invalid_request_error');
  if (type === 'entity.parse.failed') return new KeyholdError('body: malformed JSON', 'ERR_VALIDATION', 400, 'invalid_request_error', 'body');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new KeyholdError('body: unsupported encoding', 'ERR_VALIDATION', 415, 'invalid_request_error', 'body');
  }
  return null;
}

export function renderErrors(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    void _next;
    const known = err instanceof KeyholdError ? err : fromBodyParser(err);
    if (!known) log.error({ err, method: req.method, path: req.path }, 'unhandled error');
    else if (known.status >= 500) log.error({ err: known, cause: known.cause, path: req.path }, known.message);
    else log.debug({ err: known, path: req.path }, 'request refused');
    const error = known ?? new KeyholdError('Internal server error.', 'ERR_INTERNAL', 500, 'server_error');
    if (res.headersSent) return void res.end();
    res.status(error.status).json({ error: { message: error.message, type: error.type, code: error.code, param: error.param } });
  };
}
