// /api/admin/accounts/:id/credentials: credentials of one account, masked in every answer.
import { Router, type Request } from 'express';
import { parseInput } from '../http/validate';
import { actorOf } from '../http/request-context';
import { createCredentialSchema, updateCredentialSchema } from '../accounts/schemas';
import {
  createCredential,
  deleteCredential,
  findCredential,
  listCredentials,
  recordCredentialTest,
  updateCredential,
  type CredentialsDeps,
} from '../accounts/credentials';
import { findAccount } from '../accounts/accounts';
import { toCredentialView } from '../accounts/views';
import { testConnection } from '../gateway/test-connection';
import type { ProviderType } from '../accounts/provider-types';
import type { Logger } from '../log';
import type { ChangeWatcher } from '../db/change-watcher';
import type { ChangeAnnouncer } from '../db/change-bus';

// Mounted under /accounts/:id with mergeParams: the account id comes from the parent route.
function accountIdOf(req: Request): string {
  return String((req.params as Record<string, string>).id);
}

// Writes bring the gateway's catalog up to date before answering (see accounts-routes.ts).
export function credentialsRoutes(deps: CredentialsDeps & { log: Logger; changes: ChangeWatcher; changeBus: ChangeAnnouncer }): Router {
  const router = Router({ mergeParams: true });
  router.get('/', async (req, res) => {
    res.json({ data: await listCredentials(deps, accountIdOf(req)) });
  });
  router.post('/', async (req, res) => {
    const input = parseInput(createCredentialSchema, req.body);
    const view = await createCredential(deps, actorOf(req), accountIdOf(req), input);
    await deps.changes.check();
    deps.changeBus.announce('credentials');
    res.status(201).json(view);
  });
  router.get('/:cid', async (req, res) => {
    res.json(toCredentialView(await findCredential(deps, accountIdOf(req), req.params.cid), deps.vault));
  });
  router.patch('/:cid', async (req, res) => {
    const input = parseInput(updateCredentialSchema, req.body);
    const view = await updateCredential(deps, actorOf(req), accountIdOf(req), req.params.cid, input);
    await deps.changes.check();
    deps.changeBus.announce('credentials');
    res.json(view);
  });
  router.delete('/:cid', async (req, res) => {
    await deleteCredential(deps, actorOf(req), accountIdOf(req), req.params.cid);
    await deps.changes.check();
    deps.changeBus.announce('credentials');
    res.status(204).end();
  });
  router.post('/:cid/test', async (req, res) => {
    const account = await findAccount(accountIdOf(req));
    const row = await findCredential(deps, accountIdOf(req), req.params.cid);
    let result;
    try {
      const secrets = deps.vault.openCredential(row);
      result = await testConnection(
        { type: account.type as ProviderType, baseUrl: account.baseUrl, region: account.region, apiVersion: account.apiVersion, timeoutMs: account.timeoutMs ?? undefined },
        { type: row.type, publicFields: row.publicFields ?? {}, secrets },
      );
    } catch (err) {
      // A secret that cannot be opened or resolved: say so in words, never with the value.
      const message = err instanceof Error && 'code' in err ? err.message : 'Credential could not be opened.';
      result = { ok: false as const, status: null, latencyMs: 0, error: message };
    }
    deps.log.debug({ account: account.name, credential: row.name, result }, 'credential tested');
    const credential = await recordCredentialTest(deps, actorOf(req), accountIdOf(req), req.params.cid, result);
    // A passing test puts a disabled credential back in rotation; a failing one takes it out.
    await deps.changes.check();
    deps.changeBus.announce('credentials');
    res.json({ ...result, credential });
  });
  return router;
}
