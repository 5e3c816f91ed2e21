// Route guards over the verified login user: requireUser (401) and ensureAdmin (owner/admin, 403).
// A failed admin authentication is an audit event.
import type { RequestHandler } from 'express';
import type { Sequelize } from 'sequelize';
import { AccessForbidden, AuthenticationRequired } from '../errors';
import { runWriteTransaction } from '../db/write-transaction';
import { appendAuditEvent } from '../audit/record';
import { actorOf } from '../http/request-context';
import type { Logger } from '../log';
import { isAdminRole, loginUserOf } from './login-user';

export function requireUser(): RequestHandler {
  return (req, _res, next) => next(loginUserOf(req) ? undefined : new AuthenticationRequired());
}

export function ensureAdmin(deps: { sequelize: Sequelize; log: Logger }): RequestHandler {
  return async (req, _res, next) => {
    const user = loginUserOf(req);
    if (user && isAdminRole(user.role)) return next();
    const error = user ? new AccessForbidden() : new AuthenticationRequired();
    const actor = actorOf(req);
    try {
      await runWriteTransaction(deps.sequelize, (tx) =>
        appendAuditEvent(tx, actor, {
          action: user ? 'auth.admin_forbidden' : 'auth.admin_unauthenticated',
          targetType: 'route',
          targetId: `${req.method} ${req.baseUrl}${req.path}`.slice(0, 128),
        }),
      );
    } catch (err) {
      deps.log.error({ err }, 'could not record a failed admin authentication');
    }
    deps.log.warn({ did: actor.did, role: actor.role, ip: actor.ip, path: req.path }, 'admin access refused');
    next(error);
  };
}
