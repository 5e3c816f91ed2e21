// The one HTTP client of the UI: resolves paths against the app's mount prefix, sends the login cookie,
// adds x-csrf-token on writes and turns the server's `{ error: { message, code, param } }` into ApiError.
// It never stores anything: the CSRF token lives in memory only (set by the session).

/** An error answer from the Keyhold API, carrying the server's own words. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  error?: { message?: unknown; code?: unknown; param?: unknown };
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken: string | null = null;

const expiredListeners = new Set<() => void>();

/** The session listens here: a 401 on a cookie call means the login ended, so it re-reads who is signed in. */
export function onSessionExpired(listener: () => void): () => void {
  expiredListeners.add(listener);
  return () => void expiredListeners.delete(listener);
}

/** Called by the session whenever it learns the token; writes before that fetch it once themselves. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * The app's mount prefix with a trailing slash ("/" standalone, "/keyhold/" under Blocklet Server).
 * The server injects `<base href>` into index.html; window.blocklet.prefix is the fallback.
 */
export function basePath(): string {
  const base = document.querySelector('base')?.getAttribute('href');
  const fromBlocklet = (window as { blocklet?: { prefix?: string } }).blocklet?.prefix;
  const prefix = base || fromBlocklet || '/';
  const withLeading = prefix.startsWith('/') ? prefix : `/${prefix}`;
  return withLeading.endsWith('/') ? withLeading : `${withLeading}/`;
}

/** An absolute path for `path` (given without a leading slash) under the app's prefix. */
function url(path: string): string {
  return basePath() + path.replace(/^\/+/, '');
}

async function fetchCsrfToken(): Promise<string | null> {
  const res = await fetch(url('api/session'), { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!res.ok) return null;
  const body = (await res.json()) as { csrfToken?: string | null };
  csrfToken = body.csrfToken ?? null;
  return csrfToken;
}

async function toApiError(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  let body: ErrorBody | null = null;
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    body = null;
  }
  const e = body?.error;
  const message = typeof e?.message === 'string' && e.message ? e.message : `Request failed (HTTP ${res.status}).`;
  const code = typeof e?.code === 'string' ? e.code : null;
  const param = typeof e?.param === 'string' ? e.param : null;
  return new ApiError(message, res.status, code, param);
}

async function send(method: string, path: string, body?: BodyInit, contentType?: string): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (contentType) headers['content-type'] = contentType;
  if (WRITES.has(method)) {
    const token = csrfToken ?? (await fetchCsrfToken());
    if (token) headers['x-csrf-token'] = token;
  }
  let res: Response;
  try {
    res = await fetch(url(path), { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError('The Keyhold server could not be reached. Check your connection and try again.', 0);
  }
  if (res.status === 401) expiredListeners.forEach((listener) => listener());
  if (!res.ok) throw await toApiError(res);
  return res;
}

/** A stale CSRF token (the login cookie changed since it was read) is fetched again and the write retried once. */
async function sendWithCsrfRetry(method: string, path: string, body?: BodyInit, contentType?: string): Promise<Response> {
  try {
    return await send(method, path, body, contentType);
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'ERR_AUTH_CSRF') throw err;
    await fetchCsrfToken();
    return send(method, path, body, contentType);
  }
}

async function parse<T>(res: Response): Promise<T> {
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (!text) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? JSON.parse(text) : text) as T;
}

function json(body: unknown): BodyInit | undefined {
  return body === undefined ? undefined : JSON.stringify(body);
}

export const api = {
  get: async <T>(path: string): Promise<T> => parse<T>(await sendWithCsrfRetry('GET', path)),
  post: async <T>(path: string, body?: unknown): Promise<T> =>
    parse<T>(await sendWithCsrfRetry('POST', path, json(body), body === undefined ? undefined : 'application/json')),
  put: async <T>(path: string, body: unknown): Promise<T> => parse<T>(await sendWithCsrfRetry('PUT', path, json(body), 'application/json')),
  patch: async <T>(path: string, body: unknown): Promise<T> => parse<T>(await sendWithCsrfRetry('PATCH', path, json(body), 'application/json')),
  del: async (path: string): Promise<void> => {
    await sendWithCsrfRetry('DELETE', path);
  },
  putText: async <T>(path: string, text: string, contentType: string): Promise<T> =>
    parse<T>(await sendWithCsrfRetry('PUT', path, text, contentType)),
  /** For links (CSV downloads) and streaming fetches: the absolute path under the app's prefix. */
  url,
  /** The current CSRF token for callers that fetch themselves (the playground's streaming call). */
  csrfToken: async (): Promise<string | null> => csrfToken ?? fetchCsrfToken(),
};
