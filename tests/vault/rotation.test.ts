import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { startTestApp, type TestApp } from '@tests/fixtures/test-app';
import { AuditEvent, Credential, KeyringKey } from '@api/models';
import { prepareRuntime } from '@api/startup';
import { createContext } from '@api/context';
import { loadConfig } from '@api/config';
import { createLogger } from '@api/log';
import { createAccount } from '@api/accounts/accounts';
import { createCredential } from '@api/accounts/credentials';
import { CLI_ACTOR } from '@api/audit/actor';

const ROOT = path.resolve(__dirname, '../..');
const valueOf = (i: number) => `sk-rotation-${String(i).padStart(4, '0')}-abcdefghijklmnop`;

async function seedCredentials(app: TestApp, count: number): Promise<Map<string, string>> {
  const account = await createAccount(app.ctx, CLI_ACTOR, { name: 'rotating', type: 'openai' });
  const values = new Map<string, string>();
  for (let i = 0; i < count; i += 1) {
    const view = await createCredential(app.ctx, CLI_ACTOR, account.id, { name: `c${i}`, type: 'api_key', value: { api_key: valueOf(i) } });
    values.set(view.id, valueOf(i));
  }
  return values;
}

async function expectAllOpen(app: Pick<TestApp, 'ctx'>, values: Map<string, string>): Promise<void> {
  for (const row of await Credential.findAll()) {
    expect(app.ctx.vault.openCredential(row).api_key.reveal()).toBe(values.get(row.id));
  }
}

describe('key rotation through the admin API', () => {
  let app: TestApp;
  afterAll(() => app.close());

  it('re-encrypts every field under a new key, retires the old one, and keeps every credential usable', async () => {
    app = await startTestApp();
    const values = await seedCredentials(app, 12);
    const started = await app.call('POST', '/api/admin/keyring/rotate', { role: 'owner' });
    expect(started.status).toBe(202);
    let keyring = await app.call('GET', '/api/admin/keyring', { role: 'owner' });
    for (let i = 0; i < 100 && (keyring.json.progress.running || keyring.json.progress.done < 12); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      keyring = await app.call('GET', '/api/admin/keyring', { role: 'owner' });
    }
    expect(keyring.json.progress).toMatchObject({ running: false, activeVersion: 2, total: 12, done: 12 });
    expect(keyring.json.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[1, 'retired'], [2, 'active']]);
    expect(JSON.stringify(keyring.json)).not.toMatch(/wrapped/i);
    await expectAllOpen(app, values);
    expect(await AuditEvent.count({ where: { action: 'keyring.rotation_completed' } })).toBe(1);
  });

  it('refuses a member with 403 and starts nothing', async () => {
    const res = await app.call('POST', '/api/admin/keyring/rotate', { role: 'member' });
    expect(res.status).toBe(403);
    expect(await KeyringKey.count()).toBe(2);
  });
});

describe('key rotation crash', () => {
  it('leaves every credential decryptable when killed with SIGKILL mid-way, and the next start finishes it', async () => {
    const first = await startTestApp({ logLevel: 'silent' });
    const values = await seedCredentials(first, 60);
    const { dataDir } = first;
    await first.close();

    const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'tests/fixtures/rotation-child.ts')], {
      cwd: ROOT,
      env: { ...process.env, KEYHOLD_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    for await (const line of createInterface({ input: child.stdout! })) {
      const match = /^batch (\d+)\/(\d+)$/.exec(line);
      if (match && Number(match[1]) >= 15) {
        child.kill('SIGKILL');
        break;
      }
    }
    expect(await exited).toBe('SIGKILL');

    // Reopen as the next start would: first look at what the crash left.
    const log = createLogger({ level: 'silent' });
    const ctx = await createContext(loadConfig({ KEYHOLD_DATA_DIR: dataDir }), { log });
    try {
      const onNew = await Credential.count({ where: { keyVersion: 2 } });
      expect(onNew).toBeGreaterThanOrEqual(15);
      expect(onNew).toBeLessThan(60);
      expect((await KeyringKey.findAll({ order: [['version', 'ASC']] })).map((k) => k.status)).toEqual(['retiring', 'active']);
      await expectAllOpen({ ctx }, values);

      await prepareRuntime(ctx);
      expect(await Credential.count({ where: { keyVersion: 2 } })).toBe(60);
      expect((await KeyringKey.findAll({ order: [['version', 'ASC']] })).map((k) => k.status)).toEqual(['retired', 'active']);
      await expectAllOpen({ ctx }, values);
      expect(await AuditEvent.count({ where: { action: 'keyring.rotation_completed' } })).toBe(1);
    } finally {
      await ctx.close();
    }
  });
});

describe('rotation by the CLI while the server runs', () => {
  it('is picked up by the running server: it reads re-sealed rows and seals new values under the new key', async () => {
    const app = await startTestApp({ logLevel: 'silent' });
    try {
      const account = (await app.call('POST', '/api/admin/accounts', { role: 'owner', body: { name: 'live', type: 'openai' } })).json;
      const base = `/api/admin/accounts/${account.id}/credentials`;
      const created = (await app.call('POST', base, { role: 'owner', body: { name: 'k', type: 'api_key', value: { api_key: 'sk-live-rotation-0123456789' } } })).json;
      expect(created.keyVersion).toBe(1);

      const output = execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'scripts/cli.ts'), 'rotate-keys'], {
        cwd: ROOT,
        env: { ...process.env, KEYHOLD_DATA_DIR: app.dataDir, KEYHOLD_LOG_LEVEL: 'silent' },
      }).toString();
      expect(output).toContain('Active data key: v2; 1/1 credentials sealed under it.');

      const listed = (await app.call('GET', base, { role: 'owner' })).json.data[0];
      expect(listed).toMatchObject({ keyVersion: 2, secrets: { api_key: { masked: 'sk-l*******************6789' } } });
      const added = (await app.call('POST', base, { role: 'owner', body: { name: 'k2', type: 'api_key', value: { api_key: 'sk-after-rotation-0123456789' } } })).json;
      expect(added.keyVersion).toBe(2);
    } finally {
      await app.close();
    }
  });
});
