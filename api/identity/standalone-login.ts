// Standalone only: /login?token=<login token> verifies the token with the SDK and sets the same
// `login_token` cookie Blocklet Server sets, then sends the browser home without the token in the URL.
import { Router } from 'express';
import { verifyLoginToken } from '@blocklet/sdk/lib/util/verify-session';
import { AuthenticationRequired } from '../errors';

export function standaloneLoginRoutes(): Router {
  const router = Router();
  router.get('/login', async (req, res, next) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const user = token ? await verifyLoginToken({ token, strictMode: false }) : null;
    if (!user) return next(new AuthenticationRequired());
    res.cookie('login_token', token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
    res.setHeader('referrer-policy', 'no-referrer');
    res.redirect(303, '/');
  });
  router.post('/logout', (_req, res) => {
    res.clearCookie('login_token', { path: '/' });
    res.status(204).end();
  });
  return router;
}
