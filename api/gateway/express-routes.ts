// /v1 inside Express, for the callers the lean entry hands over: login tokens (the SDK session
// middleware) and signed component calls (the signature covers the parsed body). Cookie-session
// writes need the CSRF token like any other cookie write. The routes themselves are the lean ones.
import express, { type Router } from 'express';
import cookieParser from 'cookie-parser';
import { performance } from 'node:perf_hooks';
import type { AppContext } from '../context';
import { identify, principalOf } from '../identity/identify';
import { requireCsrfForCookieWrites } from '../identity/csrf';
import { AuthenticationRequired } from '../errors';
import type { Gateway } from './gateway';
import { watchClientAbort } from './gateway-call';
import { dispatchGatewayRoute } from './routes';

export function gatewayExpressRoutes(ctx: AppContext, gateway: Gateway): Router {
  const router = express.Router();
  router.use(express.json({ limit: ctx.config.gateway.maxBodyBytes }));
  router.use(cookieParser());
  router.use(identify(ctx));
  router.use(requireCsrfForCookieWrites());
  router.use(async (req, res, next) => {
    const principal = principalOf(res);
    if (!principal) return next(new AuthenticationRequired());
    const startedAt = performance.now();
    // The request id is on the response already (Express's request-context middleware).
    const call = { principal, requestId: String(res.locals.requestId), res, headers: [], signal: watchClientAbort(res), startedAt, startedAtEpoch: Date.now() };
    try {
      await dispatchGatewayRoute(gateway, call, { method: req.method, url: req.originalUrl }, async () => req.body ?? {});
    } catch (err) {
      next(err);
    }
  });
  return router;
}
