// /api/admin/accounts: provider accounts (owner/admin only; the guard is mounted in app.ts).
import { Router } from 'express';
import { parseInput } from '../http/validate';
import { actorOf } from '../http/request-context';
import { createAccountSchema, updateAccountSchema } from '../accounts/schemas';
import { createAccount, deleteAccount, findAccount, listAccounts, updateAccount, type AccountsDeps } from '../accounts/accounts';
import { toAccountView } from '../accounts/views';

export function accountsRoutes(deps: AccountsDeps): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json({ data: await listAccounts() });
  });
  router.post('/', async (req, res) => {
    const input = parseInput(createAccountSchema, req.body);
    res.status(201).json(await createAccount(deps, actorOf(req), input));
  });
  router.get('/:id', async (req, res) => {
    res.json(toAccountView(await findAccount(req.params.id)));
  });
  router.patch('/:id', async (req, res) => {
    const input = parseInput(updateAccountSchema, req.body);
    res.json(await updateAccount(deps, actorOf(req), req.params.id, input));
  });
  router.delete('/:id', async (req, res) => {
    await deleteAccount(deps, actorOf(req), req.params.id);
    res.status(204).end();
  });
  return router;
}
