// When each credential last served a call, kept in memory and written every few seconds in one
// batch, so the hot path never waits on the database. Written silently: a last-use time is not a
// change of the credential and must not wake the catalog reload in every process.
import { Credential } from '../../models/credential';
import type { Logger } from '../../log';

export class CredentialLastUse {
  readonly #used = new Map<string, Date>();
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly log: Logger) {}

  touch(id: string): void {
    this.#used.set(id, new Date());
  }

  async flush(): Promise<void> {
    if (!this.#used.size) return;
    const batch = [...this.#used];
    this.#used.clear();
    for (const [id, at] of batch) await Credential.update({ lastUsedAt: at }, { where: { id }, silent: true });
  }

  start(intervalMs = 5000): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.flush().catch((err: unknown) => this.log.warn({ err }, 'credential last-use flush failed')), intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.flush().catch((err: unknown) => this.log.warn({ err }, 'credential last-use flush failed'));
  }
}
