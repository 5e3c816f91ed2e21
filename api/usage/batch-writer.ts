// Moves journaled records into the database in the background: reads each segment from where it
// left off, inserts in batches, and deletes a segment only once it is sealed and every record in it
// is committed. On a database error it keeps its place and tries again on the next tick.
//
// A pass on the timer stops at its first batch that is not full: under steady traffic, going on at
// once would insert whatever few records arrived during the last insert, a trickle of small
// transactions in which SQLite rewrites the same table and index pages into its WAL each time
// (100-row batches cost about 35 µs of CPU a record, 1,000-row ones about 25). The rest waits for
// the next tick and goes in as one batch. flush() and stop() drain everything.
import type { Logger } from '../log';
import { readJournalLines, type LineBatch } from './journal-lines';
import { takeWritten, type Segment, type UsageJournal } from './journal';
import type { InsertEntries } from './usage-rows';

export interface BatchWriterOptions {
  batchSize?: number;
  intervalMs?: number;
}

export class BatchWriter {
  readonly #batchSize: number;
  readonly #intervalMs: number;
  #cursor: { segment: Segment; offset: number } | null = null;
  /** The next batch, read and parsed while the database inserts the current one. */
  #ahead: { segment: Segment; offset: number; batch: Promise<LineBatch> } | null = null;
  #draining: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #failing = false;
  #committed = 0;

  constructor(
    private readonly journal: UsageJournal,
    private readonly insert: InsertEntries,
    private readonly log: Logger,
    options: BatchWriterOptions = {},
  ) {
    this.#batchSize = options.batchSize ?? 1000;
    this.#intervalMs = options.intervalMs ?? 500;
  }

  /** Records committed by this writer since it was created. */
  get committed(): number {
    return this.#committed;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.drain(false).catch(() => undefined), this.#intervalMs);
    this.#timer.unref();
  }

  /**
   * Runs one pass (or joins the running one), batch by batch: with `complete` (the default) until
   * everything journaled so far is in; without it (the timer's pass) until a batch is not full.
   */
  drain(complete = true): Promise<void> {
    this.#draining ??= this.#drainAll(complete).finally(() => {
      this.#draining = null;
    });
    return this.#draining;
  }

  /** Resolves when every record appended before the call is in the database; rejects on a database error. */
  async flush(): Promise<void> {
    await this.#draining?.catch(() => undefined);
    await this.drain();
  }

  /**
   * Stops the timer and writes what is left (call it once nothing appends any more); the segments
   * are then deleted. On failure the records stay in the journal for the next start.
   */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    try {
      await this.flush();
      for (const segment of this.journal.segments) this.journal.seal(segment);
      await this.flush();
    } catch (err) {
      this.log.warn({ err }, 'usage records left in the journal at shutdown');
    }
    // Nothing may still be reading a segment when the journal closes its files.
    await this.#ahead?.batch.catch(() => undefined);
    this.#ahead = null;
  }

  async #drainAll(complete: boolean): Promise<void> {
    try {
      // What was appended in this turn of the event loop is written now rather than at its end.
      this.journal.flush();
      for (let more = true; more; ) more = await this.#step(complete);
      if (this.#failing) this.log.info({ committed: this.#committed }, 'usage records are reaching the database again');
      this.#failing = false;
    } catch (err) {
      if (!this.#failing) this.log.warn({ err }, 'writing usage records failed; they stay in the journal and are retried');
      this.#failing = true;
      throw err;
    }
  }

  /** One batch or one segment change; false once caught up with the journal (or, not `complete`, after a batch that was not full). */
  async #step(complete: boolean): Promise<boolean> {
    // A complete pass takes what was appended during its inserts too (see #drainAll).
    if (complete) this.journal.flush();
    const segment = this.journal.segments[0];
    if (!segment) return false;
    if (this.#cursor?.segment !== segment) this.#cursor = { segment, offset: 0 };
    const cursor = this.#cursor;
    if (cursor.offset < segment.size) {
      const batch = await this.#read(segment, cursor.offset);
      // Read ahead from disk only when memory does not hold what comes next.
      const fromMemory = segment.written[0]?.start === batch.end;
      if (batch.end > cursor.offset && batch.end < segment.size && !fromMemory) this.#readAhead(segment, batch.end);
      if (batch.invalid) this.log.warn({ file: segment.path, lines: batch.invalid }, 'skipped unreadable usage journal lines');
      await this.insert(batch.entries);
      this.#committed += batch.entries.length;
      if (batch.end === cursor.offset) {
        // Appends are whole lines, so this means the bytes are not what we wrote: give the segment up.
        this.log.error({ file: segment.path, offset: cursor.offset }, 'usage journal segment ends in a partial line');
        this.journal.seal(segment);
        cursor.offset = segment.size;
      } else {
        cursor.offset = batch.end;
      }
      // Past a batch that was not full, the timer's pass leaves what arrived meanwhile to its next
      // tick (see the top); a segment read to its end still goes on to be released or rotated.
      return complete || batch.entries.length + batch.invalid >= this.#batchSize || cursor.offset >= segment.size;
    }
    if (segment.sealed) {
      this.journal.release(segment);
      this.#cursor = null;
      return true;
    }
    // Caught up with the active segment: if it is big or old enough, seal it now, while it holds nothing pending.
    this.journal.rotateIfDue();
    return segment.sealed;
  }

  #read(segment: Segment, offset: number): Promise<LineBatch> {
    const remembered = takeWritten(segment, offset, this.#batchSize);
    if (remembered) return Promise.resolve(remembered);
    const ahead = this.#ahead;
    this.#ahead = null;
    if (ahead && ahead.segment === segment && ahead.offset === offset) return ahead.batch;
    return readJournalLines(segment.fd, offset, segment.size, this.#batchSize);
  }

  #readAhead(segment: Segment, offset: number): void {
    const batch = readJournalLines(segment.fd, offset, segment.size, this.#batchSize);
    batch.catch(() => undefined); // awaited (and its error seen) by the next step, or dropped at stop
    this.#ahead = { segment, offset, batch };
  }
}
