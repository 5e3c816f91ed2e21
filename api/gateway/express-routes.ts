// /v1 inside Express, for the callers the lean entry hands over: login tokens (the SDK session
// middleware) and signed component calls (the signature covers the parsed body). Cookie-session
// writes need the CSRF token like any other cookie write. The routes themselves are the lean ones.
import express, { type RequestHandler, type Router } from 'express';
import cookieParser from 'cookie-parser';
import { performance } from 'node:perf_hooks';
import type { AppContext } from '../context';
import { identify, presentedCredentials, principalOf } from '../identity/identify';
import { requireCsrfForCookieWrites } from '../identity/csrf';
import { AuthenticationRequired, RequestInvalid, type KeyholdError } from '../errors';
import { fromBodyParser } from '../http/error-handler';
import type { Gateway } from './gateway';
import { watchClientAbort } from './gateway-call';
import { dispatchGatewayRoute } from './routes';
import { refuseNonJson } from './read-json-body';

/**
 * The body as JSON, whatever the content type says (as the lean entry reads it; a declared non-JSON
 * type is refused by the route). A refused body (too large, malformed) is kept for the route, so the
 * call is answered and recorded as the identified caller's, as on the lean entry. Only a component
 * call is refused at once: its signature covers the parsed body, so without one it has no caller.
 */
function parseJsonBody(maxBytes: number): RequestHandler {
  const parse = express.json({ limit: maxBytes, type: () => true });
  return (req, res, next) =>
    parse(req, res, (err?: unknown) => {
      const refusal = err ? fromBodyParser(err) : null;
      if (!refusal || presentedCredentials(req.headers).some((presented) => presented.kind === 'component')) return next(err);
      res.locals.bodyRefusal = refusal;
      next();
    });
}

export function gatewayExpressRoutes(ctx: AppContext, gateway: Gateway): Router {
  const router = express.Router();
  router.use(parseJsonBody(ctx.config.gateway.maxBodyBytes));
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
      await dispatchGatewayRoute(gateway, call, { method: req.method, url: req.originalUrl }, async () => {
        refuseNonJson(req.headers['content-type']);
        const refusal = res.locals.bodyRefusal as KeyholdError | undefined;
        if (refusal) throw refusal;
        // Not parsed: there was no body at all.
        if (req.body === undefined) throw new RequestInvalid('body: a JSON object is required', 'body');
        return req.body;
      });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
