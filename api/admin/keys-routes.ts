// /api/admin/keys: every owner's API keys, including app keys with a client id (owner/admin only).
import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../http/validate';
import { actorOf } from '../http/request-context';
import { principalOf } from '../identity/identify';
import { createKeyForOwnerSchema, rotateKeySchema } from '../identity/api-key-schemas';
import { createApiKey, findApiKey, listApiKeys, revokeApiKey, rotateApiKey, type ApiKeysDeps } from '../identity/api-keys';
import { toApiKeyView } from '../identity/api-key-view';

const listQuery = z.object({
  owner: z.string().max(128).optional(),
  includeRevoked: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export function adminKeysRoutes(deps: ApiKeysDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const query = parseInput(listQuery, req.query);
    res.json(await listApiKeys({ ownerDid: query.owner, includeRevoked: query.includeRevoked === 'true', limit: query.limit, offset: query.offset }));
  });
  router.post('/', async (req, res) => {
    const input = parseInput(createKeyForOwnerSchema, req.body);
    const admin = principalOf(res);
    const ownerDid = input.ownerDid ?? admin?.did ?? 'unknown';
    const ownerRole = input.ownerRole ?? (input.ownerDid ? 'member' : (admin?.role ?? 'member'));
    res.status(201).json(await createApiKey(deps, actorOf(req), { ...input, ownerDid, ownerRole }));
  });
  router.get('/:id', async (req, res) => {
    res.json(toApiKeyView(await findApiKey(req.params.id)));
  });
  router.delete('/:id', async (req, res) => {
    res.json(await revokeApiKey(deps, actorOf(req), req.params.id));
  });
  router.post('/:id/rotate', async (req, res) => {
    const input = parseInput(rotateKeySchema, req.body);
    res.json(await rotateApiKey(deps, actorOf(req), req.params.id, { graceHours: input.graceHours }));
  });
  return router;
}
