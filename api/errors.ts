// One error base class for Keyhold; each subclass has a stable code, an HTTP status and a safe message.
// Rendering lives in http/error-handler.ts. Details that must not reach a client go to `cause`.

export type ErrorCode =
  | 'ERR_VALIDATION'
  | 'ERR_BODY_TOO_LARGE'
  | 'ERR_NOT_FOUND'
  | 'ERR_CONFLICT'
  | 'ERR_AUTH_REQUIRED'
  | 'ERR_AUTH_FORBIDDEN'
  | 'ERR_AUTH_CSRF'
  | 'ERR_IDENTITY_API_KEY_INVALID'
  | 'ERR_IDENTITY_AMBIGUOUS'
  | 'ERR_IDENTITY_SIGNATURE_INVALID'
  | 'ERR_IDENTITY_TOO_MANY_FAILURES'
  | 'ERR_VAULT_DECRYPTION_FAILED'
  | 'ERR_VAULT_KEYRING_LOCKED'
  | 'ERR_VAULT_SECRET_REF_UNRESOLVED'
  | 'ERR_VAULT_ROTATION_RUNNING'
  | 'ERR_ACCESS_DENIED'
  | 'ERR_ACCESS_RULES_INVALID'
  | 'ERR_GATEWAY_UNSUPPORTED_PARAMETER'
  | 'ERR_GATEWAY_MODEL_NOT_FOUND'
  | 'ERR_GATEWAY_NO_CAPACITY'
  | 'ERR_GATEWAY_UPSTREAM'
  | 'ERR_GATEWAY_UPSTREAM_TIMEOUT'
  | 'ERR_GATEWAY_CLIENT_CLOSED'
  | 'ERR_LIMITS_RATE_LIMITED'
  | 'insufficient_quota'
  | 'ERR_LIMITS_BUDGET_UNAVAILABLE'
  | 'ERR_INTERNAL';

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'conflict_error'
  | 'rate_limit_error'
  | 'server_error';

export class KeyholdError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
    readonly status: number,
    readonly type: ErrorType,
    readonly param: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class RequestInvalid extends KeyholdError {
  constructor(message: string, param: string | null = null) {
    super(message, 'ERR_VALIDATION', 400, 'invalid_request_error', param);
  }
}

export class BodyTooLarge extends KeyholdError {
  constructor() {
    super('Request body too large.', 'ERR_BODY_TOO_LARGE', 413, 'invalid_request_error');
  }
}

export class ResourceNotFound extends KeyholdError {
  constructor(what: string) {
    super(`${what} not found.`, 'ERR_NOT_FOUND', 404, 'not_found_error');
  }
}

export class ResourceConflict extends KeyholdError {
  constructor(message: string, param: string | null = null) {
    super(message, 'ERR_CONFLICT', 409, 'conflict_error', param);
  }
}

export class AuthenticationRequired extends KeyholdError {
  constructor(options?: { cause?: unknown }) {
    super('Unauthorized.', 'ERR_AUTH_REQUIRED', 401, 'authentication_error', null, options);
  }
}

export class AccessForbidden extends KeyholdError {
  constructor(message = 'This action needs the owner or admin role.') {
    super(message, 'ERR_AUTH_FORBIDDEN', 403, 'permission_error');
  }
}

export class CsrfTokenInvalid extends KeyholdError {
  constructor() {
    super('Missing or invalid CSRF token: send the x-csrf-token header from GET /api/session.', 'ERR_AUTH_CSRF', 403, 'permission_error');
  }
}

/** Deliberately says nothing about why: a wrong key, a flipped byte and a moved ciphertext look the same. */
export class CredentialDecryptionFailed extends KeyholdError {
  constructor(options?: { cause?: unknown }) {
    super('Credential could not be decrypted.', 'ERR_VAULT_DECRYPTION_FAILED', 500, 'server_error', null, options);
  }
}

export class KeyringLocked extends KeyholdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'ERR_VAULT_KEYRING_LOCKED', 500, 'server_error', null, options);
  }
}

export class SecretRefUnresolved extends KeyholdError {
  constructor(ref: string) {
    super(`Secret reference ${ref} cannot be resolved.`, 'ERR_VAULT_SECRET_REF_UNRESOLVED', 500, 'server_error');
  }
}

export class RotationRunning extends KeyholdError {
  constructor() {
    super('A key rotation is already running.', 'ERR_VAULT_ROTATION_RUNNING', 409, 'conflict_error');
  }
}

/** One answer for every bad key: unknown, malformed, wrong secret, expired, revoked, rotated out. */
export class ApiKeyInvalid extends KeyholdError {
  constructor(options?: { cause?: unknown }) {
    super('Invalid API key.', 'ERR_IDENTITY_API_KEY_INVALID', 401, 'authentication_error', null, options);
  }
}

export class CredentialsAmbiguous extends KeyholdError {
  constructor() {
    super('Send one credential: an API key, a login token or a component signature, not several.', 'ERR_IDENTITY_AMBIGUOUS', 400, 'invalid_request_error');
  }
}

/** One answer for every bad component signature: forged, replayed, expired, skewed, altered. */
export class ComponentSignatureInvalid extends KeyholdError {
  constructor(options?: { cause?: unknown }) {
    super('Invalid component signature.', 'ERR_IDENTITY_SIGNATURE_INVALID', 401, 'authentication_error', null, options);
  }
}

export class TooManyFailedAttempts extends KeyholdError {
  constructor(readonly retryAfterSeconds: number) {
    super('Too many failed authentication attempts; try again later.', 'ERR_IDENTITY_TOO_MANY_FAILURES', 429, 'rate_limit_error');
  }
}

/** A model call refused by scope, key allow-list, rule or default policy; the reason names the deciding rule. */
export class AccessDenied extends KeyholdError {
  constructor(model: string, reason: string) {
    super(`Model ${model} is not available to you: ${reason}.`, 'ERR_ACCESS_DENIED', 403, 'permission_error', 'model');
  }
}

/** A rules file that does not parse or validate; the message names the line and the field. */
export class AccessRulesInvalid extends KeyholdError {
  constructor(message: string, param: string | null = null) {
    super(message, 'ERR_ACCESS_RULES_INVALID', 400, 'invalid_request_error', param);
  }
}

/** A request field the chosen upstream cannot honour: refused, never silently dropped. */
export class UnsupportedParameter extends KeyholdError {
  constructor(param: string, provider: string, detail?: string) {
    super(
      `${param}: not supported by ${provider}${detail ? ` (${detail})` : ''}.`,
      'ERR_GATEWAY_UNSUPPORTED_PARAMETER',
      400,
      'invalid_request_error',
      param,
    );
  }
}

/** No enabled account serves this model name (or the caller may see none of those that do). */
export class ModelNotFound extends KeyholdError {
  constructor(model: string) {
    super(`The model ${model} does not exist or you do not have access to it.`, 'ERR_GATEWAY_MODEL_NOT_FOUND', 404, 'not_found_error', 'model');
  }
}

/** Every credential able to serve the model is disabled or cooling down. */
export class NoCapacity extends KeyholdError {
  constructor(model: string, readonly retryAfterSeconds: number | null) {
    super(`No upstream credential is available for ${model} right now; try again later.`, 'ERR_GATEWAY_NO_CAPACITY', 503, 'server_error', 'model');
  }
}

/** The upstream failed or refused; the message is already scrubbed. */
export class UpstreamFailed extends KeyholdError {
  constructor(message: string, status: number, readonly retryAfterSeconds: number | null = null) {
    super(message, status === 504 ? 'ERR_GATEWAY_UPSTREAM_TIMEOUT' : 'ERR_GATEWAY_UPSTREAM', status, upstreamErrorType(status));
  }
}

function upstreamErrorType(status: number): ErrorType {
  if (status === 429) return 'rate_limit_error';
  if (status === 404) return 'not_found_error';
  if (status >= 400 && status < 500) return 'invalid_request_error';
  return 'server_error';
}

/** The client went away before the answer was complete. Never sent (nobody is listening); recorded as 499. */
export class ClientClosedRequest extends KeyholdError {
  constructor() {
    super('The client closed the request.', 'ERR_GATEWAY_CLIENT_CLOSED', 499, 'invalid_request_error');
  }
}

/** A requests, tokens or concurrency limit is reached; the message says which. */
export class RateLimitExceeded extends KeyholdError {
  /** The x-ratelimit-* headers of the limit that refused, sent with the 429. */
  headers: Record<string, string> = {};

  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message, 'ERR_LIMITS_RATE_LIMITED', 429, 'rate_limit_error');
  }
}

/** A budget is spent. `insufficient_quota` is OpenAI's code for it, which clients already handle. */
export class BudgetExhausted extends KeyholdError {
  constructor(message: string, readonly retryAfterSeconds: number | null) {
    super(message, 'insufficient_quota', 429, 'rate_limit_error');
  }
}

/** What a budget has spent cannot be read: the call is refused rather than let through uncounted. */
export class BudgetUnavailable extends KeyholdError {
  constructor(options?: { cause?: unknown }) {
    super('Budget state is unavailable right now; try again shortly.', 'ERR_LIMITS_BUDGET_UNAVAILABLE', 503, 'server_error', null, options);
  }
}
