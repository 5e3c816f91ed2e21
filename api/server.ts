// The HTTP listener: /v1 goes to the lean gateway entry, everything else to the Express app
// (admin API, session, UI). One place decides which path takes which road.
import { createServer, type Server } from 'node:http';
import type { AppContext } from './context';
import { createApp } from './app';
import { createLeanGatewayEntry } from './gateway/lean-entry';

export function isGatewayPath(url: string | undefined): boolean {
  return url !== undefined && (url === '/v1' || url.startsWith('/v1/') || url.startsWith('/v1?'));
}

export function createKeyholdServer(ctx: AppContext): Server {
  const app = createApp(ctx);
  const gateway = createLeanGatewayEntry(ctx, ctx.gateway, app);
  return createServer((req, res) => (isGatewayPath(req.url) ? gateway(req, res) : app(req, res)));
}
