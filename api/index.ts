// Process entry: environment, context (database, migrations, keyring), start-up work, listen,
// graceful shutdown. Standalone it prints the one-time owner login link.
import type { Server } from 'node:http';
import { prepareEnvironment } from './runtime-env';
import { createContext } from './context';
import { prepareRuntime } from './startup';
import { createKeyholdServer } from './server';
import { issueLoginToken } from './identity/login-token';
import { warmTokenCounter } from './gateway/token-count';

export async function main(): Promise<Server> {
  const { config, identity } = prepareEnvironment();
  const ctx = await createContext(config, { migrate: true });
  await prepareRuntime(ctx);
  // Loaded now rather than stalling the first call whose upstream reports no usage.
  warmTokenCounter();
  const server = createKeyholdServer(ctx);
  server.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  ctx.log.info({ mode: config.mode, host: config.host, port, dataDir: config.dataDir }, 'Keyhold listening');
  if (identity) {
    const token = issueLoginToken({ did: identity.ownerDid, role: 'owner', fullName: 'Owner' }, identity.sessionSecret);
    // Printed to stdout only, not through the logger: the link is for the person at the terminal.
    process.stdout.write(`Owner login: http://${config.host}:${port}/login?token=${token}\n`);
  }
  const shutdown = (signal: string) => {
    ctx.log.info({ signal }, 'shutting down');
    server.close(() => void ctx.close().finally(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return server;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`Keyhold failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
