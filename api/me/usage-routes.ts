// GET /api/me/usage: the caller's own usage, from their sessions and all of their keys. A key may
// read it with the read scope (its owner's figures, as the key's owner could); nobody sees another's.
import { Router } from 'express';
import type { Sequelize } from 'sequelize';
import { AccessForbidden, AuthenticationRequired } from '../errors';
import { principalOf } from '../identity/identify';
import { respondWithUsage } from '../usage/usage-http';

export function myUsageRoutes(deps: { sequelize: Sequelize }): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const principal = principalOf(res);
    if (!principal) throw new AuthenticationRequired();
    if (principal.kind === 'key' && !principal.scopes.includes('read')) throw new AccessForbidden('This key has no read scope.');
    return respondWithUsage(deps.sequelize, req, res, { did: principal.did });
  });
  return router;
}
