// Writing /v1 answers on a bare ServerResponse: JSON bodies, OpenAI-shaped errors, SSE framing.
// The same error shape as the admin API's error handler, without Express.
import type { ServerResponse } from 'node:http';
import { BudgetExhausted, KeyholdError, NoCapacity, RateLimitExceeded, TooManyFailedAttempts, UpstreamFailed } from '../errors';

export function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
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

export function writeError(res: ServerResponse, error: KeyholdError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const retryAfter = retryAfterOf(error);
  const headers: Record<string, string> = retryAfter === null ? {} : { 'retry-after': String(Math.max(1, Math.ceil(retryAfter))) };
  if (error instanceof RateLimitExceeded) Object.assign(headers, error.headers);
  writeJson(res, error.status, { error: { message: error.message, type: error.type, code: error.code, param: error.param } }, headers);
}

export function sseData(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}
