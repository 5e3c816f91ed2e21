// `npm run keyhold -- <command>`: operator commands that run against the same data as the server.
//   login-token --role <owner|admin|member|guest> [--did <did>]   (standalone only)
//   enc                                   read a secret on stdin, print an enc: reference
//   rotate-keys                           new data key, re-encrypt every secret field
//   migrate-env                           import provider keys from environment variables
//   keys create --name N [--owner DID] [--role R] [--scopes read,write] [--models p1,p2] [--client-id C] [--expires ISO]
//   keys list [--owner DID] [--all]  |  keys revoke ID  |  keys rotate ID [--grace-hours H]
//   audit verify                          walk the audit hash chain; exit 0 intact, 1 broken
import { parseArgs } from 'node:util';
import { prepareEnvironment } from '../api/runtime-env';
import { createContext, type AppContext } from '../api/context';
import { issueLoginToken } from '../api/identity/login-token';
import { ROLES, type Role } from '../api/identity/login-user';
import { CLI_ACTOR } from '../api/audit/actor';
import { rotateKeys } from '../api/vault/rotation';
import { importEnvCredentials } from '../api/accounts/env-import';
import { sealEncRef } from '../api/vault/secret-ref';
import { createRootKey } from '../api/vault/root-key';
import { requireRootKeyMaterial } from '../api/config';
import { createLogger } from '../api/log';
import { runKeysCommand } from './cli-keys';
import { runAuditCommand } from './cli-audit';

const out = (line: string) => process.stdout.write(`${line}\n`);

async function withContext(run: (ctx: AppContext) => Promise<void>): Promise<void> {
  const { config } = prepareEnvironment();
  // Logs to stderr so stdout stays the command's answer.
  const ctx = await createContext(config, { migrate: true, log: createLogger({ level: config.logLevel, destination: process.stderr }) });
  try {
    await run(ctx);
  } finally {
    await ctx.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

const commands: Record<string, (args: string[]) => Promise<void>> = {
  async 'login-token'(args) {
    const { values } = parseArgs({ args, options: { role: { type: 'string', default: 'owner' }, did: { type: 'string' }, expires: { type: 'string', default: '7d' } } });
    const { identity } = prepareEnvironment();
    if (!identity) throw new Error('login-token works standalone only: under Blocklet Server, log in with DID Connect.');
    if (!ROLES.includes(values.role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
    const did = values.did ?? (values.role === 'owner' ? identity.ownerDid : `z${values.role}${Date.now().toString(36)}`);
    out(issueLoginToken({ did, role: values.role as Role }, identity.sessionSecret, values.expires as '7d'));
  },
  async enc() {
    prepareEnvironment();
    const secret = await readStdin();
    if (!secret) throw new Error('enc reads the secret on standard input: printf %s "$SECRET" | npm run -s keyhold -- enc');
    out(sealEncRef(createRootKey(requireRootKeyMaterial()), secret));
  },
  async 'rotate-keys'() {
    await withContext(async (ctx) => {
      const progress = await rotateKeys(ctx, CLI_ACTOR, { onBatch: (p) => void out(`re-encrypted ${p.done}/${p.total}`) });
      out(`Active data key: v${progress.activeVersion}; ${progress.done}/${progress.total} credentials sealed under it.`);
    });
  },
  async 'migrate-env'() {
    await withContext(async (ctx) => {
      const result = await importEnvCredentials(ctx, CLI_ACTOR, process.env);
      for (const item of result.imported) out(`imported ${item.variable} -> ${item.account}/env-import`);
      for (const variable of result.alreadyImported) out(`${variable}: already imported`);
      if (!result.imported.length && !result.alreadyImported.length) out('No provider keys found in the environment.');
    });
  },
  async keys(args) {
    await withContext((ctx) => runKeysCommand(ctx, args, out));
  },
  async audit(args) {
    await withContext(async () => {
      process.exitCode = await runAuditCommand(args, out);
    });
  },
};

async function run(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const command = name ? commands[name] : undefined;
  if (!command) {
    out(`usage: keyhold <${Object.keys(commands).join('|')}> [options]`);
    process.exit(name ? 2 : 0);
  }
  await command(args);
}

run().catch((err: unknown) => {
  process.stderr.write(`keyhold: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
