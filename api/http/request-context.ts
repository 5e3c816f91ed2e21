// Per-request id (echoed as x-request-id) and the audit actor built from the identified Principal.
import crypto from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Actor } from '../audit/actor';
import type { Principal } from '../identity/principal';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The caller's x-request-id when it is a sane token, else a fresh one. Shared by Express and the /v1 entry. */
export function requestIdFrom(given: string | string[] | undefined): string {
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : crypto.randomUUID();
}

export function assignRequestId(): RequestHandler {
  return (req, res, next) => {
    const id = requestIdFrom(req.headers['x-request-id']);
    res.locals.requestId = id;
    res.setHeader('x-request-id', id);
    next();
  };
}

const METHOD: Record<Principal['kind'], string> = { user: 'loginToken', key: 'apiKey', component: 'componentCall' };

export function actorOf(req: Request): Actor {
  const locals = req.res?.locals ?? {};
  const principal = locals.principal as Principal | undefined;
  const requestId = typeof locals.requestId === 'string' ? locals.requestId : null;
  return {
    did: principal?.did ?? 'anonymous',
    role: principal?.role ?? 'anonymous',
    method: principal ? (principal.keyId ? `apiKey:${principal.keyId}` : METHOD[principal.kind]) : 'anonymous',
    ip: req.ip ?? null,
    requestId,
  };
}
