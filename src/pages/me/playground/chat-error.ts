// A failed chat call in words the user can act on: the server's own error.message, with what the
// status means for them (not allowed, rate limited and when to retry, signed out).
export class ChatError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'ChatError';
  }
}

function retryHint(res: Response): string {
  const header = res.headers.get('retry-after');
  if (!header) return 'Wait a moment and try again.';
  const seconds = /^\d+$/.test(header) ? Number(header) : Math.max(0, Math.ceil((Date.parse(header) - Date.now()) / 1000));
  return Number.isFinite(seconds) ? `Try again in ${seconds} second${seconds === 1 ? '' : 's'}.` : 'Wait a moment and try again.';
}

export async function chatErrorFromResponse(res: Response): Promise<ChatError> {
  let message = `The call failed (HTTP ${res.status}).`;
  let code: string | null = null;
  try {
    const body = (await res.json()) as { error?: { message?: unknown; code?: unknown } };
    if (typeof body.error?.message === 'string' && body.error.message) message = body.error.message;
    if (typeof body.error?.code === 'string') code = body.error.code;
  } catch {
    // Not JSON: keep the status line.
  }
  if (res.status === 401) return new ChatError(`Not signed in: ${message} Sign in again.`, 401, code);
  if (res.status === 403) return new ChatError(`Not allowed: ${message}`, 403, code);
  if (res.status === 429) {
    // Keyhold's own refusal already says both; an upstream's may say neither.
    const said = /rate limit/i.test(message) ? message : `Rate limited: ${message}`;
    return new ChatError(/try again/i.test(said) ? said : `${said} ${retryHint(res)}`, 429, code);
  }
  return new ChatError(message, res.status, code);
}
