// Typed configuration: Blocklet Server's environment when it is present, standalone defaults otherwise.
// Reads the environment only; generating the standalone identity lives in standalone-identity.ts.
import path from 'node:path';

export type RunMode = 'blocklet' | 'standalone';

export interface Config {
  mode: RunMode;
  dataDir: string;
  host: string;
  port: number;
  /** PostgreSQL when set; embedded SQLite under dataDir otherwise. */
  databaseUrl: string | null;
  sqlitePath: string;
  logLevel: string;
  /** Body size cap for the admin API. Large enough that an oversized field is named by validation. */
  jsonLimit: string;
  gateway: GatewayConfig;
  /** Shared rate-limit counters across replicas; in-memory per process when unset. */
  redisUrl: string | null;
  /** How often each process polls the database for changes made elsewhere (other replicas, the CLI). */
  syncIntervalMs: number;
}

export interface GatewayConfig {
  /** Body size cap for /v1 calls (images travel inline as base64). */
  maxBodyBytes: number;
  /** Upstream attempts per call, counting the first (failover across credentials and accounts). */
  maxAttempts: number;
  /** Default upstream timeout; an account's timeoutMs overrides it. */
  upstreamTimeoutMs: number;
  /** How often disabled credentials are re-checked; 0 turns the re-check off. */
  recheckIntervalMs: number;
}

function readInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`Invalid ${name} "${raw}": expected an integer ${min}-${max}.`);
  return value;
}

/** Blocklet Server starts components with its BLOCKLET_* environment; standalone has none of it. */
export function detectMode(env: NodeJS.ProcessEnv): RunMode {
  return env.BLOCKLET_PORT || env.BLOCKLET_DATA_DIR || env.ABT_NODE ? 'blocklet' : 'standalone';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const mode = detectMode(env);
  const dataDir = path.resolve(
    mode === 'blocklet' ? requireEnv(env, 'BLOCKLET_DATA_DIR') : env.KEYHOLD_DATA_DIR || './data',
  );
  const port = Number(mode === 'blocklet' ? requireEnv(env, 'BLOCKLET_PORT') : env.PORT || 3030);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid port "${mode === 'blocklet' ? env.BLOCKLET_PORT : env.PORT}": set PORT to a number 0-65535.`);
  }
  return {
    mode,
    dataDir,
    // Under Blocklet Server the server's router proxies to the component, which must listen on all interfaces it chooses.
    host: env.HOST || (mode === 'blocklet' ? '0.0.0.0' : '127.0.0.1'),
    port,
    databaseUrl: env.DATABASE_URL || null,
    sqlitePath: path.join(dataDir, 'keyhold.db'),
    logLevel: env.KEYHOLD_LOG_LEVEL || 'info',
    jsonLimit: '4mb',
    redisUrl: env.REDIS_URL || null,
    syncIntervalMs: readInt(env, 'KEYHOLD_SYNC_INTERVAL_MS', 1000, 100, 3_600_000),
    gateway: {
      maxBodyBytes: readInt(env, 'KEYHOLD_MAX_BODY_BYTES', 20 * 1024 * 1024, 1024, 512 * 1024 * 1024),
      maxAttempts: readInt(env, 'KEYHOLD_MAX_ATTEMPTS', 3, 1, 10),
      upstreamTimeoutMs: readInt(env, 'KEYHOLD_UPSTREAM_TIMEOUT_MS', 120_000, 100, 3_600_000),
      recheckIntervalMs: readInt(env, 'KEYHOLD_RECHECK_INTERVAL_MS', 60_000, 0, 86_400_000),
    },
  };
}

function requireEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set: Blocklet Server provides it; to run outside the server, unset BLOCKLET_PORT/BLOCKLET_DATA_DIR.`);
  return value;
}

/** The root key of the vault: the app's encryption key and DID. */
export interface RootKeyMaterial {
  appEk: string;
  appDid: string;
}

/**
 * Fail closed: without both values the SDK security module silently returns plaintext,
 * so Keyhold refuses to start rather than store a credential unencrypted.
 */
export function requireRootKeyMaterial(env: NodeJS.ProcessEnv = process.env): RootKeyMaterial {
  const missing = ['BLOCKLET_APP_EK', 'BLOCKLET_DID'].filter((name) => !env[name]);
  if (missing.length) {
    throw new Error(
      `Refusing to start: ${missing.join(' and ')} missing. Keyhold encrypts credentials with the app key; ` +
        'under Blocklet Server these come from the server, standalone they come from the generated identity in the data directory.',
    );
  }
  return { appEk: env.BLOCKLET_APP_EK as string, appDid: env.BLOCKLET_DID as string };
}
