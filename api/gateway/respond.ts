// Writing /v1 answers on a bare ServerResponse: JSON bodies, OpenAI-shaped errors, SSE framing.
// The same error shape as the admin API's error handler, without Express.
import type { ServerResponse } from 'node:http';
import { BudgetExhausted, KeyholdError, NoCapacity, RateLimitExceeded, TooManyFailedAttempts, UpstreamFailed } from '../errors';

const NO_HEADERS: readonly string[] = [];

/** `headers`: name, value pairs (GatewayCall.headers), written before the content headers. */
export function writeJson(res: ServerResponse, status: number, body: unknown, headers: readonly string[] = NO_HEADERS): void {
  const text = JSON.stringify(body);
  res.writeHead(status, [...headers, 'content-type', 'application/json', 'content-length', String(Buffer.byteLength(text))]);
  res.end(text);
}

export function retryAfterOf(error: KeyholdError): number | null {
  if (error instanceof TooManyFailedAttempts) return error.retryAfterSeconds;
  if (error instanceof NoCapacity || error instanceof UpstreamFailed || error instanceof RateLimitExceeded || error instanceof BudgetExhausted) return error.retryAfterSeconds;
  return null;
}

export function toKeyholdError(error: unknown): KeyholdError {
  return error instanceof KeyholdError ? error : new KeyholdError('Internal server error.', 'ERR_INTERNAL', 500, 'server_error');
}

/** `headers`: the call's own (GatewayCall.headers); a refusing limit's x-ratelimit-* headers replace those of the same name. */
export function writeError(res: ServerResponse, error: KeyholdError, headers: readonly string[] = NO_HEADERS): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const own = error instanceof RateLimitExceeded ? error.headers : {};
  const all: string[] = [];
  for (let i = 0; i < headers.length; i += 2) if (!Object.hasOwn(own, headers[i])) all.push(headers[i], headers[i + 1]);
  for (const name in own) all.push(name, own[name]);
  const retryAfter = retryAfterOf(error);
  if (retryAfter !== null) all.push('retry-after', String(Math.max(1, Math.ceil(retryAfter))));
  writeJson(res, error.status, { error: { message: error.message, type: error.type, code: error.code, param: error.param } }, all);
}

export function sseData(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}
