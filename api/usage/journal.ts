// The usage journal: an append-only JSON Lines file per segment under <dataDir>/usage-journal/,
// written synchronously, one write for the calls that settled in the same turn of the event loop
// (see append). It only appends and rotates; moving records into the database is batch-writer.ts's
// job, and reading what a crash left behind is replay.ts's.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { UsageRecord } from '../audit/usage-record';
import type { Logger } from '../log';
import { toJournalLine, type JournalEntry, type LineBatch } from './journal-lines';
import { HEARTBEAT_MS, claimInstance, releaseInstance, segmentPath, touchInstance } from './journal-owners';

export const JOURNAL_DIR = 'usage-journal';

export interface JournalOptions {
  dir: string;
  log: Logger;
  /** A segment is sealed once it reaches this size or age; the next record starts a new one. */
  maxSegmentBytes?: number;
  maxSegmentAgeMs?: number;
  /** KEYHOLD_USAGE_FSYNC: fsync the active segment this often; null (the default) never fsyncs. */
  fsyncIntervalMs?: number | null;
  now?: () => number;
}

export interface Segment {
  readonly path: string;
  /** Open for appends while active, and for reads until the batch writer releases it. */
  readonly fd: number;
  /** Bytes of whole lines written; the batch writer reads up to here. */
  size: number;
  sealed: boolean;
  readonly openedAt: number;
  /**
   * Records this process appended and the batch writer has not taken yet, with their byte ranges:
   * it inserts these without reading them back and parsing them. The file stays the truth: any
   * gap (a failed insert, more than MAX_REMEMBERED waiting) is read from disk as before.
   */
  readonly written: WrittenRecord[];
}

export interface WrittenRecord {
  entry: JournalEntry;
  start: number;
  end: number;
}

interface PendingLine {
  entry: JournalEntry;
  line: string;
}

const WRITTEN: Promise<void> = Promise.resolve();

// Beyond this many records waiting (the database is down or slow), the rest are read back from disk.
const MAX_REMEMBERED = 20_000;

/**
 * Up to `max` remembered records that start exactly at `offset` and follow each other without a gap,
 * as the batch the disk would have given; null when memory does not hold the record at `offset`.
 */
export function takeWritten(segment: Segment, offset: number, max: number): LineBatch | null {
  const list = segment.written;
  let stale = 0;
  // Records the disk reader already went past (after a failed insert) are no longer needed.
  while (stale < list.length && list[stale].end <= offset) stale += 1;
  if (stale) list.splice(0, stale);
  if (list.length === 0 || list[0].start !== offset) return null;
  let count = 1;
  while (count < list.length && count < max && list[count].start === list[count - 1].end) count += 1;
  const taken = list.splice(0, count);
  return { entries: taken.map((w) => w.entry), end: taken[count - 1].end, invalid: 0 };
}

/**
 * Writes all `byteLength` bytes of `text`. The text is handed to fs.writeSync as it is, which
 * encodes it in C++ (on the stack when under 1 KB, one line's size), not through a Buffer made
 * for it in JavaScript: one allocation fewer on every call's path. A short write, which a regular
 * file gives only when the disk fills or a signal interrupts it, is finished from a Buffer.
 */
function writeWhole(fd: number, text: string, byteLength: number): void {
  let written = fs.writeSync(fd, text);
  if (written >= byteLength) return;
  const bytes = Buffer.from(text);
  while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
}

export class UsageJournal {
  readonly instanceId: string;
  readonly #segments: Segment[] = [];
  readonly #timers: NodeJS.Timeout[] = [];
  #segmentSeq = 0;
  #recordSeq = 0;
  #dirty = false;
  #closed = false;
  /** Appended, not yet written: flush() writes them, at the latest when this turn of the event loop ends. */
  readonly #pending: PendingLine[] = [];
  #flushScheduled = false;
  #whenWritten: Promise<void> | null = null;
  #resolveWritten: (() => void) | null = null;
  readonly #scheduledFlush = (): void => {
    this.#flushScheduled = false;
    this.flush();
  };

  private constructor(
    readonly dir: string,
    private readonly log: Logger,
    private readonly maxSegmentBytes: number,
    private readonly maxSegmentAgeMs: number,
    private readonly fsyncIntervalMs: number | null,
    private readonly now: () => number,
  ) {
    // Starts with the time so that listing the directory sorts segments oldest first.
    this.instanceId = `${Date.now().toString(36)}${crypto.randomBytes(6).toString('hex')}`;
  }

  static open(options: JournalOptions): UsageJournal {
    fs.mkdirSync(options.dir, { recursive: true });
    const journal = new UsageJournal(
      options.dir,
      options.log,
      options.maxSegmentBytes ?? 8 * 1024 * 1024,
      options.maxSegmentAgeMs ?? 5 * 60_000,
      options.fsyncIntervalMs ?? null,
      options.now ?? Date.now,
    );
    claimInstance(journal.dir, journal.instanceId);
    journal.#every(HEARTBEAT_MS, () => touchInstance(journal.dir, journal.instanceId));
    if (journal.fsyncIntervalMs !== null) journal.#every(journal.fsyncIntervalMs, () => journal.#syncActive());
    return journal;
  }

  /** Segments not yet released, oldest first; the last one may be the active one. */
  get segments(): readonly Segment[] {
    return this.#segments;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Takes one record and returns its id; the line reaches the file with the others of this turn of
   * the event loop, in one synchronous write per segment (setImmediate, or an earlier flush()).
   * Callers that promise durability wait for written() before they send the answer's last bytes:
   * at 16 calls in flight about six settle per turn, and one write for all of them instead of one
   * each cut Keyhold's CPU per call by about 8% in the gateway benchmark.
   * A call that is the only one open has nobody to share with: the usage store flush()es its
   * record at once (UsageStore.attach).
   *
   * No fsync per write: a process killed by SIGKILL (or a crash) leaves its writes in the kernel's
   * page cache, which reaches the disk anyway; only losing the machine's power could drop them, and
   * that is covered by KEYHOLD_USAGE_FSYNC=1 (fsync every N ms) for those who need it.
   */
  append(record: UsageRecord): string {
    if (this.#closed) throw new Error('usage journal is closed');
    this.#recordSeq += 1;
    // Fixed width, so ids of one journal sort in order and land at the edge of the unique index.
    const recordId = `${this.instanceId}.${this.#recordSeq.toString(36).padStart(8, '0')}`;
    const entry: JournalEntry = { recordId, ...record };
    this.#pending.push({ entry, line: toJournalLine(entry) });
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(this.#scheduledFlush);
    }
    return recordId;
  }

  /** Resolves once every record appended so far is in the file, or known lost (logged); never rejects. */
  written(): Promise<void> {
    if (this.#pending.length === 0) return WRITTEN;
    this.#whenWritten ??= new Promise((resolve) => (this.#resolveWritten = resolve));
    return this.#whenWritten;
  }

  /**
   * Writes the pending records now. A failed write is logged with the number of records it lost
   * (as a failed append was before writes were grouped); the answers waiting on them still go out.
   */
  flush(): void {
    if (this.#pending.length === 0) return;
    const pending = this.#pending.splice(0, this.#pending.length);
    const resolve = this.#resolveWritten;
    this.#whenWritten = null;
    this.#resolveWritten = null;
    try {
      this.#write(pending);
    } catch (err) {
      this.log.error({ err, lost: (err as { lost?: number }).lost ?? pending.length }, 'usage journal write failed; records lost');
    } finally {
      resolve?.();
    }
  }

  /** One write per segment the lines fill: a segment takes lines until it reaches its size. */
  #write(pending: readonly PendingLine[]): void {
    let next = 0;
    while (next < pending.length) {
      const segment = this.#writableSegment();
      const first = next;
      const lengths: number[] = [];
      let planned = segment.size;
      let text = '';
      while (next < pending.length && (next === first || planned < this.maxSegmentBytes)) {
        const { line } = pending[next];
        text += line;
        lengths.push(Buffer.byteLength(line));
        planned += lengths[lengths.length - 1];
        next += 1;
      }
      try {
        writeWhole(segment.fd, text, planned - segment.size);
      } catch (err) {
        // A partial line may now sit at the end: seal before it, so no later record is glued to it.
        this.seal(segment);
        throw Object.assign(err as Error, { lost: pending.length - first });
      }
      for (let i = first; i < next; i += 1) {
        const start = segment.size;
        segment.size += lengths[i - first];
        if (segment.written.length < MAX_REMEMBERED) segment.written.push({ entry: pending[i].entry, start, end: segment.size });
      }
      this.#dirty = true;
    }
  }

  /** Seals the active segment if it is due by size or age (the batch writer calls it when caught up). */
  rotateIfDue(): void {
    const active = this.#active();
    if (active && this.#isDue(active)) this.seal(active);
  }

  seal(segment: Segment): void {
    if (segment.sealed) return;
    segment.sealed = true;
    if (this.fsyncIntervalMs !== null) fs.fsyncSync(segment.fd);
  }

  /** Closes and deletes a sealed segment whose every record is in the database. */
  release(segment: Segment): void {
    if (!segment.sealed) throw new Error('only a sealed segment can be released');
    const index = this.#segments.indexOf(segment);
    if (index === -1) return;
    this.#segments.splice(index, 1);
    fs.closeSync(segment.fd);
    fs.rmSync(segment.path, { force: true });
  }

  /** Stops appending. Segments not released stay on disk, for the next start to replay. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    for (const segment of this.#segments) {
      this.seal(segment);
      fs.closeSync(segment.fd);
    }
    this.#segments.length = 0;
    releaseInstance(this.dir, this.instanceId);
  }

  #active(): Segment | undefined {
    const last = this.#segments[this.#segments.length - 1];
    return last && !last.sealed ? last : undefined;
  }

  #isDue(segment: Segment): boolean {
    return segment.size >= this.maxSegmentBytes || this.now() - segment.openedAt >= this.maxSegmentAgeMs;
  }

  #writableSegment(): Segment {
    const active = this.#active();
    if (active && !this.#isDue(active)) return active;
    if (active) this.seal(active);
    this.#segmentSeq += 1;
    const file = segmentPath(this.dir, this.instanceId, this.#segmentSeq);
    const segment: Segment = { path: file, fd: fs.openSync(file, 'a+'), size: 0, sealed: false, openedAt: this.now(), written: [] };
    // With fsync on, the new file's directory entry must be durable too.
    if (this.fsyncIntervalMs !== null) this.#syncDirectory();
    this.#segments.push(segment);
    return segment;
  }

  #syncActive(): void {
    const active = this.#active();
    if (!active || !this.#dirty) return;
    this.#dirty = false;
    fs.fsync(active.fd, (err) => {
      if (err) this.log.error({ err, file: path.basename(active.path) }, 'usage journal fsync failed');
    });
  }

  #syncDirectory(): void {
    const fd = fs.openSync(this.dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  #every(ms: number, run: () => void): void {
    const timer = setInterval(() => {
      try {
        run();
      } catch (err) {
        this.log.warn({ err }, 'usage journal housekeeping failed');
      }
    }, ms);
    timer.unref();
    this.#timers.push(timer);
  }
}
