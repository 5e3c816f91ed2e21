// Login sessions through the Blocklet SDK: its session middleware verifies the login JWT (cookie
// `login_token` or Bearer). Inbound x-user-* headers are stripped first so nothing can read them.
import type { RequestHandler } from 'express';
import { sessionMiddleware } from '@blocklet/sdk/lib/middlewares/session';

/** Headers some gateways trust for identity; here they are removed before anything reads them. */
export const FORGEABLE_IDENTITY_HEADER = /^x-user-/i;

export function stripForgeableIdentityHeaders(): RequestHandler {
  return (req, _res, next) => {
    for (const name of Object.keys(req.headers)) if (FORGEABLE_IDENTITY_HEADER.test(name)) delete req.headers[name];
    next();
  };
}

export function loginSession(): RequestHandler {
  // strictMode false: an invalid or expired token leaves the request anonymous; requireUser answers 401.
  return sessionMiddleware({ loginToken: true, componentCall: false, strictMode: false }) as unknown as RequestHandler;
}
