// /api/admin/settings: default access policy, maximum key lifetime, key rotation grace.
import { Router } from 'express';
import type { Sequelize } from 'sequelize';
import { parseInput } from '../http/validate';
import { actorOf } from '../http/request-context';
import { settingsSchema, type SettingsStore } from '../settings/settings';

export function settingsRoutes(deps: { sequelize: Sequelize; settings: SettingsStore }): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json(deps.settings.current);
  });
  router.put('/', async (req, res) => {
    const changes = parseInput(settingsSchema.partial(), req.body);
    res.json(await deps.settings.update(deps.sequelize, actorOf(req), changes));
  });
  return router;
}
