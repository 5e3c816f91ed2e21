// GET /api/session: who the request is identified as, and the CSRF token for cookie writes.
import { Router } from 'express';
import { csrfTokenFor } from './csrf';
import { principalOf } from './identify';

export function sessionRoutes(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const principal = principalOf(res);
    const cookieToken: unknown = req.cookies?.login_token;
    res.setHeader('cache-control', 'no-store');
    res.json({
      user: principal ? { did: principal.did, role: principal.role, kind: principal.kind, keyId: principal.keyId ?? null } : null,
      csrfToken: principal?.kind === 'user' && typeof cookieToken === 'string' ? csrfTokenFor(cookieToken) : null,
    });
  });
  return router;
}
