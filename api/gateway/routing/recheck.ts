// The background re-check: every disabled credential is tried with its provider's cheapest call
// (test-connection); one that answers again is restored. Runs on a timer, never on a request.
import type { Logger } from '../../log';
import { testConnection } from '../test-connection';
import type { GatewayCatalog } from './catalog';
import { restoreCredential, type CredentialStatusDeps } from './credential-status';

export class CredentialRecheck {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(
    private readonly catalog: GatewayCatalog,
    private readonly deps: CredentialStatusDeps,
    private readonly log: Logger,
  ) {}

  async runOnce(): Promise<void> {
    this.#running ??= (async () => {
      for (const account of this.catalog.snapshot.accounts.values()) {
        for (const credential of account.credentials) {
          if (!this.deps.health.isDisabled(credential.id)) continue;
          const result = await testConnection(account.upstream, credential.upstream, { timeoutMs: 10_000 });
          if (result.ok) await restoreCredential(this.deps, account, credential);
          else this.log.debug({ credentialId: credential.id, status: result.status }, 'disabled credential still fails its re-check');
        }
      }
    })().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  start(intervalMs: number): void {
    if (this.#timer || intervalMs <= 0) return;
    this.#timer = setInterval(() => void this.runOnce().catch((err: unknown) => this.log.warn({ err }, 'credential re-check failed')), intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
  }
}
