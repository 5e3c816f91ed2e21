// At start, before serving: every segment left by a journal that is gone (a crash, a kill, a
// shutdown whose database write failed) is read and inserted, then deleted. Inserting is
// idempotent, so records already in the database are skipped. A torn last line is logged and
// skipped; nothing in a segment can stop the start.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log';
import { readJournalLines } from './journal-lines';
import { isInstanceAlive, listSegmentFiles, removeDeadLocks } from './journal-owners';
import type { InsertEntries } from './usage-rows';

export interface ReplayResult {
  segments: number;
  /** Records read from the journal and handed to the database (some may have been there already). */
  records: number;
  /** Lines that held no valid record, including a torn last line. */
  skipped: number;
}

async function replaySegment(file: string, insert: InsertEntries, log: Logger, batchSize: number): Promise<{ records: number; skipped: number }> {
  const fd = fs.openSync(file, 'r');
  let records = 0;
  let skipped = 0;
  try {
    const size = fs.fstatSync(fd).size;
    let offset = 0;
    while (offset < size) {
      const batch = await readJournalLines(fd, offset, size, batchSize);
      await insert(batch.entries);
      records += batch.entries.length;
      skipped += batch.invalid;
      if (batch.end === offset) break;
      offset = batch.end;
    }
    if (skipped) log.warn({ file: path.basename(file), lines: skipped }, 'skipped unreadable usage journal lines');
    if (offset < size) {
      skipped += 1;
      log.warn({ file: path.basename(file), bytes: size - offset }, 'skipped a torn last line in the usage journal (a write cut short)');
    }
  } finally {
    fs.closeSync(fd);
  }
  return { records, skipped };
}

export async function replayUsageJournal(dir: string, insert: InsertEntries, log: Logger, options: { batchSize?: number; now?: number } = {}): Promise<ReplayResult> {
  const result: ReplayResult = { segments: 0, records: 0, skipped: 0 };
  const alive = new Map<string, boolean>();
  for (const segment of listSegmentFiles(dir)) {
    if (!alive.has(segment.instanceId)) alive.set(segment.instanceId, isInstanceAlive(dir, segment.instanceId, options.now));
    if (alive.get(segment.instanceId)) continue;
    const { records, skipped } = await replaySegment(segment.path, insert, log, options.batchSize ?? 1000);
    // Deleted only after every record in it is committed; a failure above leaves it for the next start.
    fs.rmSync(segment.path, { force: true });
    result.segments += 1;
    result.records += records;
    result.skipped += skipped;
  }
  removeDeadLocks(dir, options.now);
  if (result.segments) log.info(result, 'replayed the usage journal');
  return result;
}
