// One debug line per request: method, path (never the query: /login carries a token there),
// status, time. Headers pass through the logger's redaction (authorization, cookie, keys).
import type { RequestHandler } from 'express';
import type { Logger } from '../log';

export function logRequests(log: Logger): RequestHandler {
  return (req, res, next) => {
    if (!log.isLevelEnabled('debug')) return next();
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.debug({ req: { method: req.method, path: req.path, headers: req.headers }, status: res.statusCode, ms, requestId: res.locals.requestId }, 'request');
    });
    next();
  };
}
