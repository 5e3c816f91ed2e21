// Turns an upstream failure into a short message that is safe to show and log: the text each wire
// format's error body carries, transport failures, and the scrubbing. Retry and status policy is not here.
import { maskSecret } from '../vault/mask';
import { scrubSecrets } from '../vault/live-secrets';
import type { UpstreamCredential, UpstreamRequest } from './providers/types';

export const MAX_UPSTREAM_MESSAGE_LENGTH = 300;

function readString(value: unknown, field: string): string | null {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, field)) return null;
  const found: unknown = (value as Record<string, unknown>)[field];
  return typeof found === 'string' && found.trim() !== '' ? found : null;
}

function readObject(value: unknown, field: string): unknown {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, field)) return null;
  return (value as Record<string, unknown>)[field];
}

/**
 * The human message in an upstream error body: OpenAI, Azure, Anthropic and Gemini
 * `{error:{message}}`, Ollama `{error}`, AWS `{message}` / `{Message}`, FastAPI servers `{detail}`,
 * or a short plain-text body. null when there is nothing readable (empty, HTML page).
 */
export function extractUpstreamErrorMessage(bodyText: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    const text = bodyText.trim();
    // An HTML error page from a proxy says nothing useful and would eat the length budget.
    return text === '' || text.startsWith('<') ? null : (text.split('\n')[0] ?? null);
  }
  // Gemini's streaming endpoints wrap the error in an array.
  if (Array.isArray(body)) body = body[0];
  return (
    readString(readObject(body, 'error'), 'message') ??
    readString(body, 'error') ??
    readString(body, 'message') ??
    readString(body, 'Message') ??
    readString(body, 'detail')
  );
}

const TRANSPORT_MESSAGES: Record<string, string> = {
  ECONNREFUSED: 'connection refused by the upstream',
  ECONNRESET: 'the upstream reset the connection',
  UND_ERR_SOCKET: 'the upstream closed the connection',
  ENOTFOUND: 'the upstream host name does not resolve',
  EAI_AGAIN: 'the upstream host name could not be resolved (DNS)',
  ETIMEDOUT: 'connecting to the upstream timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connecting to the upstream timed out',
  UND_ERR_HEADERS_TIMEOUT: 'the upstream did not answer in time',
  UND_ERR_BODY_TIMEOUT: 'the upstream stopped sending its answer',
  EHOSTUNREACH: 'the upstream host is unreachable',
  ENETUNREACH: 'the upstream network is unreachable',
  CERT_HAS_EXPIRED: "the upstream's TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the upstream's TLS certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "the upstream's TLS certificate chain is not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the upstream's TLS certificate cannot be verified",
  ERR_TLS_CERT_ALTNAME_INVALID: "the upstream's TLS certificate does not match its host name",
};

function findErrorCode(error: unknown, depth = 0): string | null {
  if (depth > 3 || typeof error !== 'object' || error === null) return null;
  const code = readString(error, 'code');
  if (code && /^[A-Z0-9_]+$/.test(code)) return code;
  // Happy-eyeballs connects fail with an AggregateError; undici wraps some errors in `cause`.
  const nested = readObject(error, 'errors');
  if (Array.isArray(nested) && nested.length > 0) return findErrorCode(nested[0], depth + 1);
  return findErrorCode(readObject(error, 'cause'), depth + 1);
}

/**
 * A transport failure in our own words. The library's message is never passed on: it can
 * carry the URL, and our words are clearer to an admin anyway.
 */
export function describeTransportFailure(error: unknown): string {
  const code = findErrorCode(error);
  if (code === null) return 'could not reach the upstream';
  return TRANSPORT_MESSAGES[code] ?? `could not reach the upstream (${code})`;
}

/**
 * Every value an upstream message must not repeat: the credential's own secrets, and every header
 * value auth added or changed (Bearer tokens, SigV4 Authorization and each long part of it).
 */
export function listSensitiveValues(
  credential: UpstreamCredential,
  unsigned?: UpstreamRequest,
  signed?: UpstreamRequest,
): string[] {
  const values = new Set<string>();
  for (const secret of Object.values(credential.secrets)) values.add(secret.reveal());
  for (const [name, value] of Object.entries(signed?.headers ?? {})) {
    // Short header values are dates and flags, and masking them would garble the message.
    if (unsigned?.headers[name] === value || value.length < 8) continue;
    values.add(value);
    for (const part of value.split(/[\s,=]+/)) if (part.length >= 16) values.add(part);
  }
  values.delete('');
  return [...values];
}

function listEncodedForms(value: string): string[] {
  return [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)];
}

/**
 * Scrub then cap: each sensitive value (raw, JSON-escaped and URL-encoded) becomes its mask, then
 * the process-wide scrubber runs. Capping comes last so a secret cut in half cannot slip through.
 */
export function scrubUpstreamMessage(text: string, sensitive: readonly string[]): string {
  let scrubbed = text;
  // Longest first, so a value that contains another is masked whole.
  for (const value of [...sensitive].sort((a, b) => b.length - a.length)) {
    for (const form of listEncodedForms(value)) scrubbed = scrubbed.split(form).join(maskSecret(value));
  }
  scrubbed = scrubSecrets(scrubbed).replace(/\s+/g, ' ').trim();
  return scrubbed.length <= MAX_UPSTREAM_MESSAGE_LENGTH ? scrubbed : `${scrubbed.slice(0, MAX_UPSTREAM_MESSAGE_LENGTH - 1)}…`;
}
