// Notices changes made by any process (another replica, the CLI, an admin request) to tables the
// hot path caches, by polling each table's row count and newest updated_at. A changed stamp calls
// the table's reload; an incremental table's reload runs on every pass and finds its own changes.
// Cheap enough to run every second; nothing on the request path waits for it.
import { QueryTypes, type Sequelize } from 'sequelize';
import type { Logger } from '../log';

export interface WatchedTable {
  table: string;
  reload(): Promise<void>;
  /**
   * The reload finds its own changes (it reads only rows changed since it last looked): it runs on
   * every pass, without a stamp. The API keys do this, so a revocation landing in the same
   * millisecond as the previous newest change, which leaves the stamp as it was, is not missed.
   */
  incremental?: boolean;
}

export class ChangeWatcher {
  readonly #stamps = new Map<string, string>();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #next: Promise<void> | null = null;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly log: Logger,
    private readonly tables: readonly WatchedTable[],
  ) {}

  async #stampOf(table: string): Promise<string> {
    // Table names come from code, never from input.
    const [row] = await this.sequelize.query<{ n: number; latest: string | Date | null }>(`SELECT COUNT(*) AS n, MAX(updated_at) AS latest FROM ${table}`, {
      type: QueryTypes.SELECT,
    });
    // PostgreSQL answers a Date, whose String() drops the milliseconds: two changes within one
    // second would then leave the stamp as it was, and the second would never be reloaded.
    const latest = row?.latest instanceof Date ? row.latest.toISOString() : String(row?.latest ?? '');
    return `${row?.n ?? 0}|${latest}`;
  }

  /** Records the current stamps without reloading (the caches were just loaded). */
  async prime(): Promise<void> {
    for (const { table, incremental } of this.tables) if (!incremental) this.#stamps.set(table, await this.#stampOf(table));
  }

  /**
   * A pass that starts after this call: every table whose stamp moved is reloaded. A pass already
   * under way may have read a stamp before the caller's write, so the caller waits for the next one
   * (shared by everyone who asks meanwhile): an admin's write is in the caches when this resolves.
   */
  check(): Promise<void> {
    if (!this.#running) return this.#pass();
    this.#next ??= this.#running
      .catch(() => undefined)
      .then(() => {
        this.#next = null;
        return this.#running ?? this.#pass();
      });
    return this.#next;
  }

  #pass(): Promise<void> {
    this.#running = (async () => {
      for (const watched of this.tables) {
        if (watched.incremental) {
          await watched.reload();
          continue;
        }
        const stamp = await this.#stampOf(watched.table);
        if (this.#stamps.get(watched.table) === stamp) continue;
        await watched.reload();
        this.#stamps.set(watched.table, stamp);
      }
    })().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  start(intervalMs = 1000): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.check().catch((err: unknown) => this.log.warn({ err }, 'change check failed; caches keep their last state'));
    }, intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
  }
}
