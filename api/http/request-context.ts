// Per-request id (echoed as x-request-id) and the audit actor built from the verified login user.
import crypto from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Actor } from '../audit/actor';
import { loginUserOf } from '../identity/login-user';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function assignRequestId(): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    res.locals.requestId = id;
    res.setHeader('x-request-id', id);
    next();
  };
}

export function actorOf(req: Request): Actor {
  const user = loginUserOf(req);
  const requestId = typeof req.res?.locals.requestId === 'string' ? req.res.locals.requestId : null;
  return {
    did: user?.did ?? 'anonymous',
    role: user?.role ?? 'anonymous',
    method: user?.method ?? 'anonymous',
    ip: req.ip ?? null,
    requestId,
  };
}
