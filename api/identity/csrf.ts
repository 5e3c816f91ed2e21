// CSRF for cookie sessions: a write authenticated by the login cookie must carry x-csrf-token, the
// SDK's HMAC of that login token. Bearer-authenticated calls carry no ambient credential and skip it.
// Fails closed, unlike the SDK middleware, which skips the check when the csrf cookie is absent.
import crypto from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { getCsrfSecret, sign } from '@blocklet/sdk/lib/util/csrf';
import { CsrfTokenInvalid } from '../errors';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function cookieLoginToken(req: Request): string | null {
  const value: unknown = req.cookies?.login_token;
  return typeof value === 'string' && value ? value : null;
}

export function csrfTokenFor(loginToken: string): string {
  return sign(getCsrfSecret() as string, loginToken);
}

function matches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export function requireCsrfForCookieWrites(): RequestHandler {
  return (req, _res, next) => {
    const loginToken = cookieLoginToken(req);
    const bearer = /^Bearer\s/i.test(req.headers.authorization ?? '');
    if (!WRITES.has(req.method) || !loginToken || bearer) return next();
    if (!matches(csrfTokenFor(loginToken), req.headers['x-csrf-token'])) return next(new CsrfTokenInvalid());
    next();
  };
}
