// Identify: exactly one credential per request -> a Principal. A Keyhold API key (Bearer kh-…), a
// login token verified by the Blocklet SDK session middleware (Bearer JWT or login_token cookie), or
// a signed component call. Two credentials are a 400; none leaves the request anonymous. A presented
// credential that fails is answered 401 at once, whatever the route, audited, and counted against
// the client IP.
import type { IncomingHttpHeaders } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { Sequelize } from 'sequelize';
import { CredentialsAmbiguous, KeyholdError, AuthenticationRequired } from '../errors';
import { runWriteTransaction } from '../db/write-transaction';
import { appendAuditEvent } from '../audit/record';
import type { Logger } from '../log';
import type { ApiKeyHasher } from './api-key-hasher';
import type { ApiKeyIndex, KeyRecord } from './api-key-index';
import { looksLikeApiKey } from './api-key-format';
import { verifyApiKey } from './verify-api-key';
import type { ComponentCallVerifier } from './component-call';
import type { FailureLimiter } from './failure-limiter';
import { loginSession } from './session';
import { loginUserOf } from './login-user';
import { scopesForRole, type Principal } from './principal';

export interface IdentifyDeps {
  sequelize: Sequelize;
  log: Logger;
  keyIndex: ApiKeyIndex;
  keyHasher: ApiKeyHasher;
  components: ComponentCallVerifier;
  failures: FailureLimiter;
}

export type Presented = { kind: 'key'; token: string } | { kind: 'login' } | { kind: 'component' };

export function presentedCredentials(headers: IncomingHttpHeaders): Presented[] {
  const found: Presented[] = [];
  const auth = headers.authorization;
  if (auth) {
    const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1] ?? '';
    found.push(looksLikeApiKey(token) ? { kind: 'key', token } : { kind: 'login' });
  }
  if (/(?:^|;\s*)login_token=/.test(headers.cookie ?? '')) found.push({ kind: 'login' });
  if (headers['x-component-sig']) found.push({ kind: 'component' });
  return found;
}

export function principalOfKey(record: KeyRecord): Principal {
  const allowed = scopesForRole(record.ownerRole);
  return {
    kind: 'key',
    did: record.ownerDid,
    role: record.ownerRole,
    keyId: record.id,
    // A key acts with its owner's role, capped by its own scopes.
    scopes: record.scopes.filter((scope) => allowed.includes(scope)),
    clientId: record.clientId ?? undefined,
    keyModels: record.models.length ? record.models : undefined,
  };
}

export function principalOf(res: Response): Principal | null {
  return (res.locals.principal as Principal | undefined) ?? null;
}

export interface FailedAttempt {
  ip: string;
  method: string;
  path: string;
  requestId: string | null;
}

export type CredentialKind = 'apiKey' | 'componentCall' | 'loginToken';

/** Count a failed credential against the client IP, log it and audit it (auth.<kind>_failed, or auth.ip_blocked when it crossed the limit). */
export async function recordAuthFailure(deps: IdentifyDeps, attempt: FailedAttempt, kind: CredentialKind, err: unknown): Promise<void> {
  const { ip } = attempt;
  const crossed = await deps.failures.recordFailure(ip);
  const cause = err instanceof KeyholdError ? err.cause : undefined;
  const reason = typeof cause === 'object' && cause && 'reason' in cause ? String((cause as { reason: unknown }).reason) : 'invalid';
  const keyId = typeof cause === 'object' && cause && 'keyId' in cause ? (cause as { keyId: string | null }).keyId : null;
  deps.log.warn({ ip, kind, reason, path: attempt.path }, 'authentication failed');
  try {
    await runWriteTransaction(deps.sequelize, (tx) =>
      appendAuditEvent(tx, { did: 'anonymous', role: 'anonymous', method: kind, ip, requestId: attempt.requestId }, {
        action: crossed ? 'auth.ip_blocked' : `auth.${kind}_failed`,
        targetType: kind === 'apiKey' ? 'api_key' : 'route',
        targetId: keyId ?? `${attempt.method} ${attempt.path}`.slice(0, 128),
        after: { reason },
      }),
    );
  } catch (auditErr) {
    deps.log.error({ err: auditErr }, 'could not record an authentication failure');
  }
}

export function identify(deps: IdentifyDeps): RequestHandler {
  const session = loginSession();
  const runSession = (req: Request, res: Response) => new Promise<void>((resolve) => void session(req, res, () => resolve()));

  return async (req, res, next) => {
    const presented = presentedCredentials(req.headers);
    if (!presented.length) return next();
    if (presented.length > 1) return next(new CredentialsAmbiguous());
    const ip = req.ip ?? 'unknown';
    try {
      await deps.failures.assertNotBlocked(ip);
    } catch (err) {
      return next(err);
    }
    const [credential] = presented;
    try {
      if (credential.kind === 'key') {
        const record = verifyApiKey(credential.token, deps.keyIndex, deps.keyHasher);
        deps.keyIndex.touch(record.id, req.ip ?? null);
        res.locals.principal = principalOfKey(record);
      } else if (credential.kind === 'component') {
        const { componentDid } = await deps.components.verify(req);
        // A component acts for itself and never as an admin.
        res.locals.principal = { kind: 'component', did: componentDid, role: 'component', componentDid, scopes: ['read', 'write'] } satisfies Principal;
      } else {
        await runSession(req, res);
        if (res.headersSent) return; // the SDK answered (e.g. a token in two places)
        const user = loginUserOf(req);
        if (!user) throw new AuthenticationRequired({ cause: { reason: 'invalid or expired login token' } });
        res.locals.principal = { kind: 'user', did: user.did, role: user.role, scopes: scopesForRole(user.role) } satisfies Principal;
      }
    } catch (err) {
      if (err instanceof KeyholdError) {
        const kind: CredentialKind = credential.kind === 'key' ? 'apiKey' : credential.kind === 'component' ? 'componentCall' : 'loginToken';
        await recordAuthFailure(deps, { ip, method: req.method, path: req.path, requestId: (res.locals.requestId as string) ?? null }, kind, err);
      }
      return next(err);
    }
    next();
  };
}
