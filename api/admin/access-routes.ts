// /api/admin/access: explain what a user, key or component may do with a model (owner/admin only).
import { Router } from 'express';
import { parseInput } from '../http/validate';
import type { AccessControl } from '../access/access-control';
import { explainForAdmin, explainInputSchema } from '../access/explain-subject';

export function accessRoutes(deps: { access: AccessControl }): Router {
  const router = Router();
  router.post('/explain', async (req, res) => {
    const input = parseInput(explainInputSchema, req.body);
    res.json(await explainForAdmin(deps.access, input));
  });
  return router;
}
