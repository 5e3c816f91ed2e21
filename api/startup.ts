// Work done once at start, after migrations: finish an interrupted key rotation, then import
// provider keys still sitting in plain environment variables.
import type { AppContext } from './context';
import { SYSTEM_ACTOR } from './audit/actor';
import { resumeRotation } from './vault/rotation';
import { importEnvCredentials } from './accounts/env-import';

export async function prepareRuntime(ctx: AppContext): Promise<void> {
  const resumed = await resumeRotation(ctx, SYSTEM_ACTOR);
  if (resumed) ctx.log.info({ activeVersion: resumed.activeVersion, done: resumed.done, total: resumed.total }, 'finished an interrupted key rotation');
  await importEnvCredentials(ctx, SYSTEM_ACTOR, ctx.env);
}
