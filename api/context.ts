// The AppContext, built once per process: config, database, logger, root key, keyring and vault.
// Everything a route or command needs is reached through it; nothing is a module-level singleton.
import type { Sequelize } from 'sequelize';
import { type Config, requireRootKeyMaterial } from './config';
import { connectDatabase } from './db/connect';
import { runMigrations } from './db/migrate';
import { initModels } from './models';
import { createLogger, type Logger } from './log';
import { createRootKey, type RootKey } from './vault/root-key';
import { Keyring } from './vault/keyring';
import { Vault } from './vault/vault';
import { runWriteTransaction } from './db/write-transaction';
import { SettingsStore } from './settings/settings';
import { AccessControl } from './access/access-control';
import { ApiKeyHasher } from './identity/api-key-hasher';
import { ApiKeyIndex } from './identity/api-key-index';
import { ComponentCallVerifier } from './identity/component-call';
import { FailureLimiter } from './identity/failure-limiter';
import { listAppComponentDids } from './identity/app-components';
import { Gateway } from './gateway/gateway';
import { UsageHub } from './audit/usage-record';
import { createAdminNotifier, type AdminNotifier } from './notify/admin-notifier';
import { ChangeWatcher } from './db/change-watcher';
import { ChangeBus } from './db/change-bus';
import { UsageStore } from './usage/usage-store';
import { LimiterFactory } from './limits/limiter-factory';
import { RateLimits } from './limits/rate-limits';
import { BudgetBook } from './limits/budgets';
import { PriceBook } from './limits/prices';
import { CallGuard } from './limits/call-guard';
import { createBudgetAlerts } from './limits/budget-alerts';
import { connectRedis } from './limits/redis';
import type { Redis } from 'ioredis';

export interface AppContext {
  config: Config;
  sequelize: Sequelize;
  log: Logger;
  rootKey: RootKey;
  vault: Vault;
  env: NodeJS.ProcessEnv;
  settings: SettingsStore;
  access: AccessControl;
  keyIndex: ApiKeyIndex;
  keyHasher: ApiKeyHasher;
  components: ComponentCallVerifier;
  failures: FailureLimiter;
  gateway: Gateway;
  usage: UsageHub;
  /** Journals usage records and batches them into the database. */
  usageStore: UsageStore;
  notifier: AdminNotifier;
  changes: ChangeWatcher;
  /** Tells the other replicas (through Redis, when configured) what this process changed. */
  changeBus: ChangeBus;
  guard: CallGuard;
  close(): Promise<void>;
}

export interface ContextOptions {
  log?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Run pending migrations first (standalone start, CLI); Blocklet Server's preStart also does. */
  migrate?: boolean;
}

export async function createContext(config: Config, options: ContextOptions = {}): Promise<AppContext> {
  const env = options.env ?? process.env;
  const log = options.log ?? createLogger({ level: config.logLevel });
  // Checked before the database is touched: a missing key must change nothing.
  const rootKey = createRootKey(requireRootKeyMaterial(env));
  const sequelize = await connectDatabase(config);
  let usageStore: UsageStore | null = null;
  let redis: Redis | null = null;
  let changeBus: ChangeBus | null = null;
  try {
    initModels(sequelize);
    if (options.migrate !== false) {
      const applied = await runMigrations(sequelize);
      if (applied.length) log.info({ applied }, 'database migrations applied');
    }
    const keyring = await runWriteTransaction(sequelize, (transaction) => Keyring.open(rootKey, { createIfEmpty: true, transaction }));
    const vault = new Vault(keyring, rootKey, env);
    const settings = new SettingsStore();
    await settings.load();
    const access = new AccessControl(settings);
    await access.load();
    const keyHasher = await ApiKeyHasher.open(sequelize, rootKey);
    redis = config.redisUrl ? await connectRedis(config.redisUrl, log) : null;
    const bus = await ChangeBus.open(redis, log);
    changeBus = bus;
    const keyIndex = new ApiKeyIndex(log);
    await keyIndex.load();
    keyIndex.start();
    const usage = new UsageHub(log);
    // Replays what an earlier process journaled but did not commit, before anything is served.
    const store = await UsageStore.open({ dataDir: config.dataDir, sequelize, log, settings, env });
    usageStore = store;
    store.attach(usage);
    store.start();
    const notifier = createAdminNotifier(config, log);
    const prices = new PriceBook();
    await prices.load();
    const budgets = new BudgetBook(sequelize, log, createBudgetAlerts({ sequelize, log, notifier }), { redis });
    const guard = new CallGuard(keyIndex, settings, new RateLimits(new LimiterFactory(redis)), budgets, prices);
    const gateway = new Gateway({ sequelize, log, vault, access, usage, notifier, guard, changeBus: bus, config: config.gateway });
    await gateway.reload();
    gateway.start();
    // Changes by other processes (replicas, the CLI) reach the in-memory caches at the next poll
    // (every second by default), or at once when a replica announces them on the change bus.
    const changes = new ChangeWatcher(sequelize, log, [
      // Polled here only, not by the index as well: one query a second, and announcements reach it.
      { table: 'api_keys', reload: () => keyIndex.syncChanged(), incremental: true },
      { table: 'provider_accounts', reload: () => gateway.reload() },
      { table: 'credentials', reload: () => gateway.reload() },
      { table: 'access_rules', reload: () => access.load() },
      { table: 'settings', reload: async () => void (await Promise.all([settings.load(), prices.load()])) },
    ]);
    await changes.prime();
    changes.start(config.syncIntervalMs);
    bus.listen(() => {
      changes.check().catch((err: unknown) => log.warn({ err }, 'change check after an announcement failed; caches keep their last state'));
    });
    const close = async () => {
      await changes.stop();
      await gateway.stop();
      await keyIndex.stop();
      await store.stop();
      bus.close();
      redis?.disconnect();
      await sequelize.close();
    };
    return {
      config, sequelize, log, rootKey, vault, env, settings, access, keyIndex, keyHasher, gateway, usage, usageStore: store, notifier, changes, changeBus: bus, guard,
      components: new ComponentCallVerifier({ knownComponentDids: config.mode === 'blocklet' ? listAppComponentDids : undefined }),
      failures: new FailureLimiter(),
      close,
    };
  } catch (err) {
    await usageStore?.stop();
    changeBus?.close();
    redis?.disconnect();
    await sequelize.close();
    throw err;
  }
}
