// Prepares the process environment for the chosen run mode: standalone gets the generated identity
// exposed as BLOCKLET_* variables (as Blocklet Server would set them); under the server nothing is generated.
import { loadConfig, type Config } from './config';
import { applyStandaloneIdentity, loadOrCreateStandaloneIdentity, type StandaloneIdentity } from './standalone-identity';

export function prepareEnvironment(env: NodeJS.ProcessEnv = process.env): { config: Config; identity: StandaloneIdentity | null } {
  const config = loadConfig(env);
  if (config.mode === 'blocklet') return { config, identity: null };
  const identity = loadOrCreateStandaloneIdentity(config.dataDir);
  applyStandaloneIdentity(identity, env);
  return { config, identity };
}
