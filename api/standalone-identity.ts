// The development identity for standalone runs: an app wallet, encryption key, session secret and
// owner DID generated once with the ArcBlock libraries and kept in the data directory (mode 0600).
// Never used under Blocklet Server, whose keys come from the server.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fromRandom, WalletType } from '@ocap/wallet';
import { types } from '@ocap/mcrypto';

export interface StandaloneIdentity {
  appDid: string;
  appPk: string;
  appSk: string;
  appEk: string;
  sessionSecret: string;
  ownerDid: string;
}

const FILE_NAME = 'identity.json';

function generateIdentity(): StandaloneIdentity {
  const app = fromRandom(
    WalletType({ role: types.RoleType.ROLE_APPLICATION, pk: types.KeyType.ED25519, hash: types.HashType.SHA3 }),
  );
  const owner = fromRandom(
    WalletType({ role: types.RoleType.ROLE_ACCOUNT, pk: types.KeyType.ED25519, hash: types.HashType.SHA3 }),
  );
  return {
    appDid: app.address,
    appPk: String(app.publicKey),
    appSk: String(app.secretKey),
    appEk: crypto.randomBytes(32).toString('hex'),
    sessionSecret: crypto.randomBytes(32).toString('hex'),
    ownerDid: owner.address,
  };
}

function isIdentity(value: unknown): value is StandaloneIdentity {
  if (!value || typeof value !== 'object') return false;
  const fields = ['appDid', 'appPk', 'appSk', 'appEk', 'sessionSecret', 'ownerDid'];
  return fields.every((f) => typeof (value as Record<string, unknown>)[f] === 'string');
}

/** Load the identity from dataDir, creating it (and the directory, mode 0700) on first run. */
export function loadOrCreateStandaloneIdentity(dataDir: string): StandaloneIdentity {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // The database and identity live here: only this user may list or read them.
  fs.chmodSync(dataDir, 0o700);
  const file = path.join(dataDir, FILE_NAME);
  if (fs.existsSync(file)) {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!isIdentity(parsed)) throw new Error(`${file} is not a Keyhold identity file; move it away to generate a new one.`);
    return parsed;
  }
  const identity = generateIdentity();
  // wx: never overwrite an identity another process wrote first; losing it would lose every credential.
  fs.writeFileSync(file, JSON.stringify(identity, null, 2), { mode: 0o600, flag: 'wx' });
  return identity;
}

/** Expose the identity the way Blocklet Server does, so the SDK (session, security, csrf) works unchanged. */
export function applyStandaloneIdentity(identity: StandaloneIdentity, env: NodeJS.ProcessEnv = process.env): void {
  env.BLOCKLET_DID = identity.appDid;
  env.BLOCKLET_APP_PK = identity.appPk;
  env.BLOCKLET_APP_SK = identity.appSk;
  env.BLOCKLET_APP_EK = identity.appEk;
  env.BLOCKLET_SESSION_SECRET = identity.sessionSecret;
}
