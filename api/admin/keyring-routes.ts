// /api/admin/keyring: data-key versions, rotation progress, and starting a rotation.
import { Router } from 'express';
import { actorOf } from '../http/request-context';
import { Keyring } from '../vault/keyring';
import { rotateKeys, rotationProgress, type RotationDeps } from '../vault/rotation';
import { RotationRunning } from '../errors';
import type { Logger } from '../log';

export function keyringRoutes(deps: RotationDeps & { log: Logger }): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    // Progress first: when it says "not running", the versions read after it are final.
    const progress = await rotationProgress(deps);
    res.json({ versions: await Keyring.listVersions(), progress });
  });
  router.post('/rotate', async (req, res) => {
    const progress = await rotationProgress(deps);
    if (progress.running) throw new RotationRunning();
    // Runs in the background: the answer says it started; GET /api/admin/keyring shows progress.
    const started = rotateKeys(deps, actorOf(req));
    started.catch((err) => deps.log.error({ err }, 'key rotation failed; it resumes at next start'));
    res.status(202).json({ started: true, progress: await rotationProgress(deps) });
  });
  return router;
}
