// GET /api/me: who this request is identified as, with its scopes. Needs a credential (401 without).
import { Router } from 'express';
import { requirePrincipal } from '../identity/guards';
import { principalOf } from '../identity/identify';

export function meRoutes(): Router {
  const router = Router();
  router.get('/', requirePrincipal(), (_req, res) => {
    const p = principalOf(res);
    res.json({
      kind: p?.kind, did: p?.did, role: p?.role, scopes: p?.scopes,
      keyId: p?.keyId ?? null, clientId: p?.clientId ?? null, componentDid: p?.componentDid ?? null,
    });
  });
  return router;
}
