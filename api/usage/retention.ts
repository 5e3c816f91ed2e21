// Usage retention: records that started before now - usageRetentionDays are deleted, at start and
// then once an hour, in small batches so that the batch writer and admin writes are never held up
// for long. null or 0 keeps everything.
import { Op } from 'sequelize';
import type { Logger } from '../log';
import { UsageRecordRow } from '../models/usage-record';
import type { SettingsStore } from '../settings/settings';

const DAY_MS = 86_400_000;

/** Deletes records older than the retention window; returns how many. */
export async function pruneUsageRecords(retentionDays: number | null, options: { now?: number; batchSize?: number } = {}): Promise<number> {
  if (!retentionDays) return 0;
  const cutoff = (options.now ?? Date.now()) - retentionDays * DAY_MS;
  const batchSize = options.batchSize ?? 5000;
  let deleted = 0;
  for (;;) {
    // Ids first, then delete by id: the same two statements on SQLite and PostgreSQL.
    const rows = await UsageRecordRow.findAll({ attributes: ['id'], where: { startedAt: { [Op.lt]: cutoff } }, limit: batchSize, raw: true });
    if (rows.length === 0) return deleted;
    deleted += await UsageRecordRow.destroy({ where: { id: rows.map((row) => row.id) } });
    if (rows.length < batchSize) return deleted;
  }
}

export class RetentionPruner {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(
    private readonly settings: Pick<SettingsStore, 'current'>,
    private readonly log: Logger,
    private readonly options: { intervalMs?: number; now?: () => number } = {},
  ) {}

  /** One pruning pass with the current setting (joins a pass already running). */
  run(): Promise<void> {
    this.#running ??= (async () => {
      const days = this.settings.current.usageRetentionDays;
      const deleted = await pruneUsageRecords(days, { now: this.options.now?.() });
      if (deleted) this.log.info({ deleted, retentionDays: days }, 'pruned old usage records');
    })()
      .catch((err: unknown) => this.log.warn({ err }, 'pruning usage records failed; the next run tries again'))
      .finally(() => {
        this.#running = null;
      });
    return this.#running;
  }

  /** Prunes now (in the background) and then every hour. */
  start(): void {
    if (this.#timer) return;
    void this.run();
    this.#timer = setInterval(() => void this.run(), this.options.intervalMs ?? 3_600_000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }
}
