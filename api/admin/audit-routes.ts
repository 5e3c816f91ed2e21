// /api/admin/audit: pages and filters audit events; /export streams them as JSONL or CSV with the
// same filters; /verify walks the hash chain.
import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../http/validate';
import { sendDownload } from '../http/download';
import { listAuditEvents } from '../audit/query';
import { AUDIT_EXPORT_FORMATS, openAuditExport } from '../audit/export';
import { verifyAuditChain } from '../audit/verify';

// Strict: a misspelt filter must be a 400, not a silent export of the whole trail.
const filterShape = {
  actor: z.string().max(128).optional(),
  action: z.string().max(64).regex(/^[^*]*\*?$/, 'only a trailing * (prefix match) is supported').optional(),
  targetType: z.string().max(32).optional(),
  targetId: z.string().max(128).optional(),
  since: z.coerce.date().optional(),
  until: z.coerce.date().optional(),
};
const querySchema = z
  .object({ ...filterShape, limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0) })
  .strict();
const exportSchema = z.object({ ...filterShape, format: z.enum(AUDIT_EXPORT_FORMATS).default('jsonl') }).strict();

export function auditRoutes(): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const query = parseInput(querySchema, req.query);
    const { data, total } = await listAuditEvents(query);
    res.json({ data, total, limit: query.limit, offset: query.offset });
  });
  router.get('/export', async (req, res) => {
    const { format, ...filter } = parseInput(exportSchema, req.query);
    const exported = await openAuditExport(filter, format);
    await sendDownload(res, exported);
  });
  router.get('/verify', async (_req, res) => {
    res.json(await verifyAuditChain());
  });
  return router;
}
