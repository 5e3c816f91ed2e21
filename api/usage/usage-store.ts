// Persistence of usage records: replay what a previous process left, then journal every record the
// hub reports and move the journal into the database in the background, and prune by retention.
// Querying the records is query.ts's job.
import path from 'node:path';
import type { Sequelize } from 'sequelize';
import type { UsageHub } from '../audit/usage-record';
import type { Logger } from '../log';
import type { SettingsStore } from '../settings/settings';
import { BatchWriter, type BatchWriterOptions } from './batch-writer';
import { JOURNAL_DIR, UsageJournal, type JournalOptions } from './journal';
import { replayUsageJournal, type ReplayResult } from './replay';
import { RetentionPruner } from './retention';
import { createUsageInserter } from './usage-rows';

export interface UsageStoreDeps {
  dataDir: string;
  sequelize: Sequelize;
  log: Logger;
  settings: Pick<SettingsStore, 'current'>;
  env?: NodeJS.ProcessEnv;
}

export interface UsageStoreOptions extends BatchWriterOptions, Pick<JournalOptions, 'maxSegmentBytes' | 'maxSegmentAgeMs' | 'fsyncIntervalMs'> {
  retentionIntervalMs?: number;
}

/** KEYHOLD_USAGE_FSYNC=1 turns on a periodic fsync, every KEYHOLD_USAGE_FSYNC_MS (default 1000). */
export function fsyncIntervalFromEnv(env: NodeJS.ProcessEnv): number | null {
  const flag = env.KEYHOLD_USAGE_FSYNC;
  if (flag === undefined || flag === '' || flag === '0') return null;
  if (flag !== '1') throw new Error(`Invalid KEYHOLD_USAGE_FSYNC "${flag}": use 1 to fsync the usage journal periodically, or 0.`);
  const raw = env.KEYHOLD_USAGE_FSYNC_MS;
  const ms = raw === undefined || raw === '' ? 1000 : Number(raw);
  if (!Number.isInteger(ms) || ms < 10 || ms > 60_000) throw new Error(`Invalid KEYHOLD_USAGE_FSYNC_MS "${raw}": expected an integer 10-60000 (milliseconds).`);
  return ms;
}

export class UsageStore {
  #detach: (() => void) | null = null;

  private constructor(
    readonly journal: UsageJournal,
    readonly writer: BatchWriter,
    readonly pruner: RetentionPruner,
    /** What the start-up replay found. */
    readonly replayed: ReplayResult,
    private readonly log: Logger,
  ) {}

  /** Replays the journal left by earlier processes, then opens this process's own. */
  static async open(deps: UsageStoreDeps, options: UsageStoreOptions = {}): Promise<UsageStore> {
    const dir = path.join(deps.dataDir, JOURNAL_DIR);
    const fsyncIntervalMs = options.fsyncIntervalMs !== undefined ? options.fsyncIntervalMs : fsyncIntervalFromEnv(deps.env ?? process.env);
    const insert = createUsageInserter(deps.sequelize);
    const replayed = await replayUsageJournal(dir, insert, deps.log, { batchSize: options.batchSize });
    const journal = UsageJournal.open({
      dir, log: deps.log, fsyncIntervalMs, maxSegmentBytes: options.maxSegmentBytes, maxSegmentAgeMs: options.maxSegmentAgeMs,
    });
    const writer = new BatchWriter(journal, insert, deps.log, options);
    const pruner = new RetentionPruner(deps.settings, deps.log, { intervalMs: options.retentionIntervalMs });
    return new UsageStore(journal, writer, pruner, replayed, deps.log);
  }

  /**
   * Journals every record the hub reports; the hub's record() resolves once its line is in the file.
   * A record that is alone is written at once, instead of waiting for the end of this turn of the
   * event loop for others to share its write.
   */
  attach(hub: UsageHub): void {
    this.#detach?.();
    this.#detach = hub.subscribe((record, alone) => {
      this.journal.append(record);
      if (alone) this.journal.flush();
      return this.journal.written();
    });
  }

  start(): void {
    this.writer.start();
    this.pruner.start();
  }

  /** Everything journaled so far is in the database when this resolves (for tests and benchmarks). */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  async stop(): Promise<void> {
    this.#detach?.();
    this.#detach = null;
    await this.pruner.stop();
    await this.writer.stop();
    this.journal.close();
    this.log.debug({ committed: this.writer.committed }, 'usage store stopped');
  }
}
