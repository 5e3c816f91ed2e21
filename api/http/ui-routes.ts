// Serves the built console: hashed /assets/* with a year-long immutable cache, and index.html for every
// other GET that looks like a page (deep links such as /admin/providers). Paths that belong to the API,
// the gateway, login and /.well-known never get index.html: they keep their own JSON 404s.
import fs from 'node:fs/promises';
import path from 'node:path';
import express, { Router, type Request } from 'express';
import type { RunMode } from '../config';
import { mountPrefixOf, renderIndexHtml, setUiHtmlHeaders } from './ui-index-html';

const NOT_PAGES = /^\/(api|v1|login|logout|\.well-known)(\/|$)/;

function isPageRequest(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (NOT_PAGES.test(req.path)) return false;
  // A path whose last segment has a dot asks for a file (favicon.ico, a stale asset): no page there.
  const last = req.path.split('/').pop() ?? '';
  return !last.includes('.');
}

export function uiRoutes(uiDir: string, mode: RunMode): Router {
  const router = Router();
  const indexFile = path.join(uiDir, 'index.html');

  router.use(
    '/assets',
    express.static(path.join(uiDir, 'assets'), {
      index: false,
      immutable: true,
      maxAge: '365d',
      setHeaders: (res) => res.setHeader('x-content-type-options', 'nosniff'),
    }),
  );

  router.use(async (req, res, next) => {
    if (!isPageRequest(req)) return next();
    try {
      // Read per request: a rebuild swaps dist/public under a running server, and this file is small.
      const template = await fs.readFile(indexFile, 'utf8');
      setUiHtmlHeaders(res);
      res.send(renderIndexHtml(template, { prefix: mountPrefixOf(mode, req.headers['x-path-prefix']), mode }));
    } catch (err) {
      next(err);
    }
  });
  return router;
}
