// /api/admin/audit: pages and filters audit events; /verify walks the hash chain.
import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../http/validate';
import { listAuditEvents } from '../audit/query';
import { verifyAuditChain } from '../audit/verify';

const querySchema = z.object({
  actor: z.string().max(128).optional(),
  action: z.string().max(64).optional(),
  targetType: z.string().max(32).optional(),
  targetId: z.string().max(128).optional(),
  since: z.coerce.date().optional(),
  until: z.coerce.date().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export function auditRoutes(): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const query = parseInput(querySchema, req.query);
    const { data, total } = await listAuditEvents(query);
    res.json({ data, total, limit: query.limit, offset: query.offset });
  });
  router.get('/verify', async (_req, res) => {
    res.json(await verifyAuditChain());
  });
  return router;
}
