// /api/admin/accounts: provider accounts (owner/admin only; the guard is mounted in app.ts).
import { Router } from 'express';
import { parseInput } from '../http/validate';
import { actorOf } from '../http/request-context';
import { createAccountSchema, updateAccountSchema } from '../accounts/schemas';
import { createAccount, deleteAccount, findAccount, listAccounts, updateAccount, type AccountsDeps } from '../accounts/accounts';
import { toAccountView } from '../accounts/views';
import type { ChangeWatcher } from '../db/change-watcher';
import type { ChangeAnnouncer } from '../db/change-bus';

// After each write the gateway's catalog is brought up to date before answering, so the next /v1
// call already sees the change; the other replicas are told through the change bus (or see it at
// their watcher's next poll).
export function accountsRoutes(deps: AccountsDeps & { changes: ChangeWatcher; changeBus: ChangeAnnouncer }): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json({ data: await listAccounts() });
  });
  router.post('/', async (req, res) => {
    const input = parseInput(createAccountSchema, req.body);
    const view = await createAccount(deps, actorOf(req), input);
    await deps.changes.check();
    deps.changeBus.announce('provider_accounts');
    res.status(201).json(view);
  });
  router.get('/:id', async (req, res) => {
    res.json(toAccountView(await findAccount(req.params.id)));
  });
  router.patch('/:id', async (req, res) => {
    const input = parseInput(updateAccountSchema, req.body);
    const view = await updateAccount(deps, actorOf(req), req.params.id, input);
    await deps.changes.check();
    deps.changeBus.announce('provider_accounts');
    res.json(view);
  });
  router.delete('/:id', async (req, res) => {
    await deleteAccount(deps, actorOf(req), req.params.id);
    await deps.changes.check();
    deps.changeBus.announce('provider_accounts');
    res.status(204).end();
  });
  return router;
}
