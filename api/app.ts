// createApp(ctx): the Express app, and the one place where middleware order is written down.
// No side effects at import; listening is api/index.ts's job.
import express, { type Express } from 'express';
import cookieParser from 'cookie-parser';
import type { AppContext } from './context';
import { assignRequestId } from './http/request-context';
import { renderErrors } from './http/error-handler';
import { logRequests } from './http/request-log';
import { findUiDirectory } from './http/ui-directory';
import { uiRoutes } from './http/ui-routes';
import { stripForgeableIdentityHeaders } from './identity/session';
import { identify } from './identity/identify';
import { requireCsrfForCookieWrites } from './identity/csrf';
import { ensureAdmin } from './identity/guards';
import { sessionRoutes } from './identity/session-routes';
import { standaloneLoginRoutes } from './identity/standalone-login';
import { accountsRoutes } from './admin/accounts-routes';
import { credentialsRoutes } from './admin/credentials-routes';
import { keyringRoutes } from './admin/keyring-routes';
import { auditRoutes } from './admin/audit-routes';
import { rulesRoutes } from './admin/rules-routes';
import { accessRoutes } from './admin/access-routes';
import { adminKeysRoutes } from './admin/keys-routes';
import { settingsRoutes } from './admin/settings-routes';
import { pricesRoutes } from './admin/prices-routes';
import { myKeysRoutes } from './me/keys-routes';
import { meRoutes } from './me/me-routes';
import { myUsageRoutes } from './me/usage-routes';
import { adminUsageRoutes } from './admin/usage-routes';
import { ResourceNotFound } from './errors';
import { gatewayExpressRoutes } from './gateway/express-routes';

export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  // Under Blocklet Server the server's router is the one proxy in front; standalone there is none.
  app.set('trust proxy', ctx.config.mode === 'blocklet' ? 'loopback' : false);

  app.use(assignRequestId());
  app.use(logRequests(ctx.log));
  app.use(stripForgeableIdentityHeaders());

  const api = express.Router();
  api.use(express.json({ limit: ctx.config.jsonLimit }));
  api.use(cookieParser());
  api.use(identify(ctx));
  api.use(requireCsrfForCookieWrites());
  api.get('/health', (_req, res) => void res.json({ ok: true }));
  api.use('/session', sessionRoutes());
  api.use('/me/keys', myKeysRoutes(ctx));
  api.use('/me/usage', myUsageRoutes(ctx));
  api.use('/me', meRoutes());

  const admin = express.Router();
  admin.use(ensureAdmin(ctx));
  admin.use('/accounts/:id/credentials', credentialsRoutes(ctx));
  admin.use('/accounts', accountsRoutes(ctx));
  admin.use('/keyring', keyringRoutes(ctx));
  admin.use('/keys', adminKeysRoutes(ctx));
  admin.use('/settings', settingsRoutes(ctx));
  admin.use('/prices', pricesRoutes(ctx));
  admin.use('/audit', auditRoutes());
  admin.use('/usage', adminUsageRoutes(ctx));
  admin.use('/access', accessRoutes(ctx));
  // Serves /rules, /rules/:id and /rules.yaml.
  admin.use(rulesRoutes(ctx));
  api.use('/admin', admin);
  api.use((_req, _res, next) => next(new ResourceNotFound('Route')));
  app.use('/api', api);
  // Reached only for login-token and component-signed calls; API keys never enter Express (server.ts).
  app.use('/v1', gatewayExpressRoutes(ctx, ctx.gateway));

  if (ctx.config.mode === 'standalone') app.use(cookieParser(), standaloneLoginRoutes());
  // The console last: static assets, then index.html for page paths (never for /api, /v1, /login...).
  const ui = findUiDirectory();
  if (ui) app.use(uiRoutes(ui, ctx.config.mode));
  app.use((_req, _res, next) => next(new ResourceNotFound('Route')));

  app.use(renderErrors(ctx.log));
  return app;
}
