// GET /api/session: who the verified login says you are, and the CSRF token for cookie writes.
import { Router } from 'express';
import { loginUserOf } from './login-user';
import { csrfTokenFor } from './csrf';

export function sessionRoutes(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const user = loginUserOf(req);
    const cookieToken: unknown = req.cookies?.login_token;
    res.setHeader('cache-control', 'no-store');
    res.json({
      user: user ? { did: user.did, role: user.role, fullName: user.fullName ?? null } : null,
      csrfToken: user && typeof cookieToken === 'string' ? csrfTokenFor(cookieToken) : null,
    });
  });
  return router;
}
