// /api/admin/prices: the price table (US dollars per million input/output tokens, per model name,
// `account/model` or a bare or upstream name). PUT replaces the whole table, audited.
import { Router } from 'express';
import type { Sequelize } from 'sequelize';
import { parseInput } from '../http/validate';
import { actorOf } from '../http/request-context';
import type { ChangeAnnouncer } from '../db/change-bus';
import { priceTableSchema, type PriceBook } from '../limits/prices';

export function pricesRoutes(deps: { sequelize: Sequelize; guard: { prices: PriceBook }; changeBus: ChangeAnnouncer }): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json({ currency: 'USD', per: '1M tokens', data: deps.guard.prices.table });
  });
  router.put('/', async (req, res) => {
    const table = parseInput(priceTableSchema, (req.body as { data?: unknown } | undefined)?.data ?? req.body);
    const replaced = await deps.guard.prices.replace(deps.sequelize, actorOf(req), table);
    deps.changeBus.announce('settings');
    res.json({ currency: 'USD', per: '1M tokens', data: replaced });
  });
  return router;
}
