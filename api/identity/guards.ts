// Route guards over the identified Principal: requirePrincipal (401), requireUserLogin (a person
// signed in, not a key or component), and ensureAdmin (owner/admin with the admin scope, else 403).
// A refused admin request is an audit event.
import type { RequestHandler } from 'express';
import type { Sequelize } from 'sequelize';
import { AccessForbidden, AuthenticationRequired } from '../errors';
import { runWriteTransaction } from '../db/write-transaction';
import { appendAuditEvent } from '../audit/record';
import { actorOf } from '../http/request-context';
import type { Logger } from '../log';
import { isAdminRole } from './login-user';
import { principalOf } from './identify';

export function requirePrincipal(): RequestHandler {
  return (_req, res, next) => next(principalOf(res) ? undefined : new AuthenticationRequired());
}

/**
 * Managing one's own keys needs a person: a leaked API key must not be able to mint keys that
 * outlive its revocation. Reads are allowed to keys with the read scope.
 */
export function requireUserLoginForWrites(): RequestHandler {
  return (req, res, next) => {
    const principal = principalOf(res);
    if (!principal) return next(new AuthenticationRequired());
    if (principal.kind === 'component') return next(new AccessForbidden('Components have no keys of their own.'));
    if (principal.kind === 'key' && (req.method !== 'GET' || !principal.scopes.includes('read'))) {
      return next(new AccessForbidden('Keys are managed by a signed-in user, not with an API key.'));
    }
    next();
  };
}

export function ensureAdmin(deps: { sequelize: Sequelize; log: Logger }): RequestHandler {
  return async (req, res, next) => {
    const principal = principalOf(res);
    if (principal && isAdminRole(principal.role) && principal.scopes.includes('admin')) return next();
    const error = principal ? new AccessForbidden() : new AuthenticationRequired();
    const actor = actorOf(req);
    try {
      await runWriteTransaction(deps.sequelize, (tx) =>
        appendAuditEvent(tx, actor, {
          action: principal ? 'auth.admin_forbidden' : 'auth.admin_unauthenticated',
          targetType: 'route',
          targetId: `${req.method} ${req.baseUrl}${req.path}`.slice(0, 128),
        }),
      );
    } catch (err) {
      deps.log.error({ err }, 'could not record a refused admin request');
    }
    deps.log.warn({ did: actor.did, role: actor.role, ip: actor.ip, path: req.path }, 'admin access refused');
    next(error);
  };
}
