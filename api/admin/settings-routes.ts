// /api/admin/settings: default access policy, maximum key lifetime, key rotation grace.
import { Router } from 'express';
import type { Sequelize } from 'sequelize';
import { parseInput } from '../http/validate';
import { actorOf } from '../http/request-context';
import type { ChangeAnnouncer } from '../db/change-bus';
import { settingsSchema, type SettingsStore } from '../settings/settings';

export function settingsRoutes(deps: { sequelize: Sequelize; settings: SettingsStore; changeBus: ChangeAnnouncer }): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json(deps.settings.current);
  });
  router.put('/', async (req, res) => {
    const changes = parseInput(settingsSchema.partial(), req.body);
    const updated = await deps.settings.update(deps.sequelize, actorOf(req), changes);
    deps.changeBus.announce('settings');
    res.json(updated);
  });
  return router;
}
