// /api/me/keys: the signed-in user's own API keys. Another user's key answers 404, as if absent.
import { Router, type Response } from 'express';
import { z } from 'zod';
import { parseInput } from '../http/validate';
import { actorOf } from '../http/request-context';
import { requireUserLoginForWrites } from '../identity/guards';
import { principalOf } from '../identity/identify';
import type { Principal } from '../identity/principal';
import { createOwnKeySchema, rotateKeySchema } from '../identity/api-key-schemas';
import { createApiKey, findApiKey, listApiKeys, revokeApiKey, rotateApiKey, type ApiKeysDeps } from '../identity/api-keys';
import { toApiKeyView } from '../identity/api-key-view';

const listQuery = z.object({
  includeRevoked: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

// requireUserLoginForWrites ran first, so a principal is present here.
const me = (res: Response): Principal => principalOf(res) as Principal;

export function myKeysRoutes(deps: ApiKeysDeps): Router {
  const router = Router();
  router.use(requireUserLoginForWrites());
  router.get('/', async (req, res) => {
    const query = parseInput(listQuery, req.query);
    res.json(await listApiKeys({ ownerDid: me(res).did, includeRevoked: query.includeRevoked === 'true', limit: query.limit, offset: query.offset }));
  });
  router.post('/', async (req, res) => {
    const input = parseInput(createOwnKeySchema, req.body);
    const { did, role } = me(res);
    res.status(201).json(await createApiKey(deps, actorOf(req), { ...input, ownerDid: did, ownerRole: role, clientId: null }));
  });
  router.get('/:id', async (req, res) => {
    res.json(toApiKeyView(await findApiKey(req.params.id, me(res).did)));
  });
  router.delete('/:id', async (req, res) => {
    res.json(await revokeApiKey(deps, actorOf(req), req.params.id, me(res).did));
  });
  router.post('/:id/rotate', async (req, res) => {
    const input = parseInput(rotateKeySchema, req.body);
    res.json(await rotateApiKey(deps, actorOf(req), req.params.id, { ownerDid: me(res).did, graceHours: input.graceHours }));
  });
  return router;
}
