// Sends one upstream request through the shared undici Agent (a keep-alive pool per origin) and
// sorts the outcome into what the failover loop needs: an answer, a retryable failure, or a final one.
// Messages are built from the upstream's error body and scrubbed here, before anyone else sees them.
import type { EventEmitter } from 'node:events';
import { Agent, type Dispatcher } from 'undici';
import type { UpstreamCredential, UpstreamRequest } from './providers/types';
import { describeTransportFailure, extractUpstreamErrorMessage, listSensitiveValues, scrubUpstreamMessage } from './upstream-error';

export const DEFAULT_UPSTREAM_TIMEOUT_MS = 120_000;
// An error body worth reading is small; past this it is not an error message.
const MAX_ERROR_BODY_BYTES = 64 * 1024;

export type FailureKind = 'transport' | 'timeout' | 'rate-limited' | 'server' | 'rejected-credential' | 'client';

export interface UpstreamFailure {
  kind: FailureKind;
  /** The upstream's status, null for transport failures and timeouts. */
  status: number | null;
  /** Safe to show and log. */
  message: string;
  /** From Retry-After (seconds or an HTTP date), in milliseconds. */
  retryAfterMs: number | null;
}

export interface UpstreamAnswer {
  status: number;
  body: Dispatcher.ResponseData['body'];
  contentType: string;
  /** From Content-Length; NaN when the answer has none (chunked) or an unreadable one. */
  contentLength: number;
}

export function createUpstreamAgent(): Agent {
  // Keep-alive pools per origin; timeouts are set per request from the account.
  return new Agent({ connections: 256, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 300_000, pipelining: 1 });
}

export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d+(\.\d+)?$/.test(text.trim())) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

async function readErrorText(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > MAX_ERROR_BODY_BYTES) break;
      chunks.push(buffer);
    }
  } catch {
    // A body that breaks off still has whatever arrived.
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}

function kindOfStatus(status: number): FailureKind {
  if (status === 429) return 'rate-limited';
  if (status === 401 || status === 403) return 'rejected-credential';
  if (status >= 500) return 'server';
  return 'client';
}

/** What may cancel an upstream request: an AbortSignal, or an EventEmitter that says 'abort' (undici takes both). */
export type AbortSource = AbortSignal | (EventEmitter & { readonly aborted: boolean });

export interface SendOptions {
  dispatcher: Dispatcher;
  timeoutMs: number;
  signal: AbortSource;
  credential: UpstreamCredential;
  unsigned: UpstreamRequest;
  /** Label for messages: the account name. */
  label: string;
}

// Upstream URLs repeat (one per account and model, or per deployment): their parts are kept, up to
// this many; past it the table starts over.
const MAX_PARSED_URLS = 1000;
const parsedUrls = new Map<string, { origin: string; path: string }>();

function urlParts(url: string): { origin: string; path: string } {
  let parts = parsedUrls.get(url);
  if (!parts) {
    const parsed = new URL(url);
    parts = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (parsedUrls.size >= MAX_PARSED_URLS) parsedUrls.clear();
    parsedUrls.set(url, parts);
  }
  return parts;
}

/** The upstream's 2xx answer (body unread), or an UpstreamFailure (never throws for upstream trouble). */
export async function sendUpstream(signed: UpstreamRequest, options: SendOptions): Promise<UpstreamAnswer | UpstreamFailure> {
  const sensitive = (): string[] => listSensitiveValues(options.credential, options.unsigned, signed);
  let response: Dispatcher.ResponseData;
  try {
    // Redirects are not followed (undici's default): a redirect must never carry our key elsewhere.
    // The dispatcher's own request(): undici's top-level request(url) parses the URL and copies the
    // options on every call, which showed in the gateway's profile; an upstream URL is parsed once.
    const { origin, path } = urlParts(signed.url);
    response = await options.dispatcher.request({
      origin,
      path,
      method: signed.method,
      headers: signed.headers,
      body: signed.body,
      signal: options.signal,
      // Until the answer's headers, and then between body chunks: a stream that goes quiet this long is broken.
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      return { kind: 'timeout', status: null, message: `${options.label}: the upstream did not answer within ${options.timeoutMs} ms`, retryAfterMs: null };
    }
    return { kind: 'transport', status: null, message: scrubUpstreamMessage(`${options.label}: ${describeTransportFailure(error)}`, sensitive()), retryAfterMs: null };
  }
  const status = response.statusCode;
  const contentType = String(response.headers['content-type'] ?? '');
  if (status >= 200 && status < 300) return { status, body: response.body, contentType, contentLength: Number(response.headers['content-length']) };
  const text = await readErrorText(response.body);
  const said = extractUpstreamErrorMessage(text);
  const message = scrubUpstreamMessage(`${options.label} answered ${status}${said ? `: ${said}` : ''}`, sensitive());
  return { kind: kindOfStatus(status), status, message, retryAfterMs: parseRetryAfter(response.headers['retry-after']) };
}

export function isFailure(outcome: UpstreamAnswer | UpstreamFailure): outcome is UpstreamFailure {
  return 'kind' in outcome;
}
