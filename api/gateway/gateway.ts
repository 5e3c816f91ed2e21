// The gateway's long-lived state, built once per process: the routing catalog, credential health
// and rotation, the upstream connection pools, the usage recorder and the re-check timer.
import type { Sequelize } from 'sequelize';
import type { Dispatcher } from 'undici';
import type { GatewayConfig } from '../config';
import type { Logger } from '../log';
import type { Vault } from '../vault/vault';
import type { AccessControl } from '../access/access-control';
import type { UsageRecorder } from '../audit/usage-record';
import type { AdminNotifier } from '../notify/admin-notifier';
import type { CallGuard } from '../limits/call-guard';
import type { ChangeAnnouncer } from '../db/change-bus';
import { GatewayCatalog } from './routing/catalog';
import { CredentialHealth } from './routing/credential-health';
import { CredentialPicker } from './routing/pick-credential';
import { CredentialRecheck } from './routing/recheck';
import { CredentialLastUse } from './routing/credential-last-use';
import type { CredentialStatusDeps } from './routing/credential-status';
import { createUpstreamAgent } from './upstream-call';
import { OpenCalls } from './usage-capture';

export interface GatewayDeps {
  sequelize: Sequelize;
  log: Logger;
  vault: Vault;
  access: AccessControl;
  usage: UsageRecorder;
  notifier: AdminNotifier;
  /** Rate limits, budgets and prices, checked after authorization and settled when a call ends. */
  guard: CallGuard;
  /** Tells the other replicas when this process changed a credential's status. */
  changeBus: ChangeAnnouncer;
  config: GatewayConfig;
  /** Tests pass their own (e.g. with short timeouts). */
  dispatcher?: Dispatcher;
}

export class Gateway {
  readonly catalog: GatewayCatalog;
  readonly health = new CredentialHealth();
  readonly picker: CredentialPicker;
  readonly dispatcher: Dispatcher;
  readonly statusDeps: CredentialStatusDeps;
  readonly recheck: CredentialRecheck;
  readonly lastUse: CredentialLastUse;
  /** Model calls in progress that have not written their usage record yet. */
  readonly openCalls = new OpenCalls();
  readonly #ownsDispatcher: boolean;

  constructor(readonly deps: GatewayDeps) {
    this.catalog = new GatewayCatalog(deps.vault, deps.log);
    this.picker = new CredentialPicker(this.health);
    this.#ownsDispatcher = !deps.dispatcher;
    this.dispatcher = deps.dispatcher ?? createUpstreamAgent();
    this.statusDeps = { sequelize: deps.sequelize, log: deps.log, health: this.health, notifier: deps.notifier, changeBus: deps.changeBus };
    this.recheck = new CredentialRecheck(this.catalog, this.statusDeps, deps.log);
    this.lastUse = new CredentialLastUse(deps.log);
  }

  get config(): GatewayConfig {
    return this.deps.config;
  }

  /** Rebuild the catalog from the database and bring health in line with stored statuses. */
  async reload(): Promise<void> {
    await this.catalog.reload();
    for (const account of this.catalog.snapshot.accounts.values()) {
      for (const credential of account.credentials) this.health.syncStatus(credential.id, credential.status);
    }
  }

  start(): void {
    this.recheck.start(this.deps.config.recheckIntervalMs);
    this.lastUse.start();
  }

  async stop(): Promise<void> {
    await this.recheck.stop();
    await this.lastUse.stop();
    if (this.#ownsDispatcher) await this.dispatcher.close();
  }
}
