// GET /api/admin/usage: everyone's usage (totals, groups, series, or CSV). Behind ensureAdmin.
import { Router } from 'express';
import type { Sequelize } from 'sequelize';
import { respondWithUsage } from '../usage/usage-http';

export function adminUsageRoutes(deps: { sequelize: Sequelize }): Router {
  const router = Router();
  router.get('/', (req, res) => respondWithUsage(deps.sequelize, req, res, { did: null }));
  return router;
}
