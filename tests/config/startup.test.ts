// Starting Keyhold: the standalone identity, the refusal to run without the app key, the clear error
// (and no change) on a wrong key, and `npm start` / the CLI as a user runs them.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { makeDataDir, startTestApp } from '@tests/fixtures/test-app';
import { createContext } from '@api/context';
import { loadConfig, requireRootKeyMaterial } from '@api/config';
import { createLogger } from '@api/log';
import { createRootKey } from '@api/vault/root-key';
import { parseSecretRef, resolveSecretRef } from '@api/vault/secret-ref';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const silent = createLogger({ level: 'silent' });
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('root key checks', () => {
  it('refuses to start without BLOCKLET_APP_EK or BLOCKLET_DID, touching nothing', async () => {
    const dataDir = makeDataDir();
    const config = loadConfig({ KEYHOLD_DATA_DIR: dataDir });
    await expect(createContext(config, { env: { BLOCKLET_DID: 'zApp' }, log: silent })).rejects.toThrow(/BLOCKLET_APP_EK missing/);
    await expect(createContext(config, { env: { BLOCKLET_APP_EK: 'ek' }, log: silent })).rejects.toThrow(/BLOCKLET_DID missing/);
    expect(fs.readdirSync(dataDir)).toEqual([]);
    expect(() => requireRootKeyMaterial({})).toThrow(/Refusing to start/);
  });

  it('fails with a clear error on a wrong app key and changes nothing', async () => {
    const app = await startTestApp({ logLevel: 'silent' });
    await app.call('POST', '/api/admin/accounts', { role: 'owner', body: { name: 'a', type: 'openai' } });
    const dataDir = app.dataDir;
    await app.close();
    const db = path.join(dataDir, 'keyhold.db');
    const before = sha(db);
    const env = { BLOCKLET_APP_EK: crypto.randomBytes(32).toString('hex'), BLOCKLET_DID: app.identity.appDid };
    await expect(createContext(loadConfig({ KEYHOLD_DATA_DIR: dataDir }), { env, log: silent })).rejects.toMatchObject({
      code: 'ERR_VAULT_KEYRING_LOCKED',
      message: expect.stringMatching(/does not open with this app's BLOCKLET_APP_EK\/BLOCKLET_DID/),
    });
    expect(sha(db)).toBe(before);
    // And the right key still opens it.
    const ctx = await createContext(loadConfig({ KEYHOLD_DATA_DIR: dataDir }), { env: { BLOCKLET_APP_EK: app.identity.appEk, BLOCKLET_DID: app.identity.appDid }, log: silent });
    await ctx.close();
  });
});

describe('standalone run', () => {
  it('npm start: generates the identity once (0600), prints the owner login link, which sets the login cookie', async () => {
    const dataDir = makeDataDir();
    const child = spawn(TSX, [path.join(ROOT, 'scripts/start.ts')], {
      cwd: ROOT,
      env: { ...process.env, KEYHOLD_DATA_DIR: dataDir, PORT: '0', NODE_ENV: 'production', BLOCKLET_APP_EK: '', BLOCKLET_DID: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let link = '';
    for await (const line of createInterface({ input: child.stdout! })) {
      const match = /^Owner login: (http:\/\/127\.0\.0\.1:\d+\/login\?token=[\w.-]+)$/.exec(line);
      if (match) {
        link = match[1];
        break;
      }
    }
    try {
      expect(link).not.toBe('');
      const identityFile = path.join(dataDir, 'identity.json');
      expect(fs.statSync(identityFile).mode & 0o777).toBe(0o600);
      expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
      const login = await fetch(link, { redirect: 'manual' });
      expect(login.status).toBe(303);
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      const origin = new URL(link).origin;
      const session = (await (await fetch(`${origin}/api/session`, { headers: { cookie } })).json()) as { user: unknown };
      expect(session.user).toMatchObject({ role: 'owner', did: JSON.parse(fs.readFileSync(identityFile, 'utf8')).ownerDid });
      const accounts = await fetch(`${origin}/api/admin/accounts`, { headers: { cookie } });
      expect(accounts.status).toBe(200);
      const page = await fetch(`${origin}/`);
      expect(await page.text()).toContain('<title>Keyhold</title>');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    // Same identity on the next run: the CLI's token opens the same install.
    const token = execFileSync(TSX, [path.join(ROOT, 'scripts/cli.ts'), 'login-token', '--role', 'member', '--did', 'zMemberDid'], {
      cwd: ROOT,
      env: { ...process.env, KEYHOLD_DATA_DIR: dataDir },
    }).toString().trim();
    const [, payload] = token.split('.');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({ did: 'zMemberDid', role: 'member' });
    expect(fs.readdirSync(dataDir).filter((f) => f === 'identity.json')).toHaveLength(1);
  });

  it('keyhold enc seals a secret from stdin into an enc: reference the vault opens', () => {
    const dataDir = makeDataDir();
    const ref = execFileSync(TSX, [path.join(ROOT, 'scripts/cli.ts'), 'enc'], { cwd: ROOT, env: { ...process.env, KEYHOLD_DATA_DIR: dataDir }, input: 'sk-cli-sealed-0123456789' })
      .toString()
      .trim();
    expect(ref).toMatch(/^enc:/);
    expect(ref).not.toContain('sk-cli-sealed');
    const identity = JSON.parse(fs.readFileSync(path.join(dataDir, 'identity.json'), 'utf8'));
    const rootKey = createRootKey({ appEk: identity.appEk, appDid: identity.appDid });
    expect(resolveSecretRef(parseSecretRef(ref, 'ref'), rootKey, {})).toBe('sk-cli-sealed-0123456789');
  });

  it('login-token refuses to run under Blocklet Server', () => {
    let failure = '';
    try {
      execFileSync(TSX, [path.join(ROOT, 'scripts/cli.ts'), 'login-token', '--role', 'owner'], {
        cwd: ROOT,
        env: { ...process.env, BLOCKLET_PORT: '8090', BLOCKLET_DATA_DIR: makeDataDir() },
        stdio: 'pipe',
      });
    } catch (err) {
      failure = String((err as { stderr: Buffer }).stderr);
    }
    expect(failure).toContain('login-token works standalone only');
  });
});
