// The journal's line format (one JSON object per line: a usage record plus the journal's own
// recordId) and a reader that returns whole lines only. It does not know about files or segments.
import fs from 'node:fs';
import { promisify } from 'node:util';
import { isCount, type UsageRecord } from '../audit/usage-record';

export interface JournalEntry extends UsageRecord {
  /** Unique per record across processes and restarts: the key that makes replays idempotent. */
  recordId: string;
}

const ENDPOINTS: ReadonlySet<unknown> = new Set(['chat.completions', 'embeddings']);
const PRINCIPAL_KINDS: ReadonlySet<unknown> = new Set(['user', 'key', 'component']);
const NULLABLE_TEXT = ['keyId', 'clientId', 'componentDid', 'accountId', 'account', 'upstreamModel', 'credentialId', 'errorCode'] as const;
const COUNTS = ['promptTokens', 'completionTokens', 'attempts', 'startedAt'] as const;

const isText = (value: unknown, max = Infinity): value is string => typeof value === 'string' && value.length > 0 && value.length <= max;
const isFiniteOrNull = (value: unknown): boolean => value === null || Number.isFinite(value);

/**
 * What a line must hold to be inserted; a line that fails (a torn write, a disk error) is skipped.
 * Written out by hand rather than as a zod schema: every record passes here on its way to the
 * database, and at ten thousand a second the schema's cost showed.
 */
function isJournalEntry(value: unknown): value is JournalEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    isText(v.recordId, 64) && isText(v.requestId) && ENDPOINTS.has(v.endpoint) && PRINCIPAL_KINDS.has(v.principalKind) &&
    typeof v.did === 'string' && typeof v.role === 'string' && typeof v.model === 'string' && Number.isInteger(v.status) &&
    typeof v.stream === 'boolean' && typeof v.tokensEstimated === 'boolean' &&
    Number.isFinite(v.latencyMs) && isFiniteOrNull(v.ttfbMs) && isFiniteOrNull(v.costUsd ?? null) &&
    COUNTS.every((name) => isCount(v[name])) &&
    NULLABLE_TEXT.every((name) => v[name] === null || typeof v[name] === 'string')
  );
}

export function toJournalLine(entry: JournalEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

/** The entry a line holds, or null when it is not a complete, well-formed record. */
export function parseJournalLine(line: string): JournalEntry | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isJournalEntry(value)) return null;
  // Journals written before costs were recorded have no costUsd.
  value.costUsd ??= null;
  return value;
}

export interface LineBatch {
  entries: JournalEntry[];
  /** Offset just past the last line consumed (valid or not); equal to `from` when no whole line was there. */
  end: number;
  /** Lines consumed that did not hold a valid record. */
  invalid: number;
}

const read = promisify(fs.read);
const CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * Reads up to `maxEntries` whole lines from bytes [from, to) of `fd`. Bytes after the last newline
 * are left for later: in a live segment they do not exist (appends are whole lines), in a segment
 * left by a crash they are the torn last line.
 */
export async function readJournalLines(fd: number, from: number, to: number, maxEntries: number): Promise<LineBatch> {
  const entries: JournalEntry[] = [];
  let invalid = 0;
  let offset = from;
  let chunkBytes = CHUNK_BYTES;
  while (offset < to && entries.length + invalid < maxEntries) {
    const length = Math.min(chunkBytes, to - offset);
    const buffer = Buffer.allocUnsafe(length);
    const { bytesRead } = await read(fd, buffer, 0, length, offset);
    let start = 0;
    for (let nl = buffer.indexOf(NEWLINE, 0); nl !== -1 && nl < bytesRead; nl = buffer.indexOf(NEWLINE, start)) {
      const line = buffer.toString('utf8', start, nl);
      start = nl + 1;
      const entry = line.length ? parseJournalLine(line) : null;
      if (entry) entries.push(entry);
      else if (line.length) invalid += 1;
      if (entries.length + invalid >= maxEntries) break;
    }
    if (start === 0) {
      // No newline in the whole chunk: a line longer than the chunk, or the torn tail.
      if (bytesRead < length || offset + bytesRead >= to) break;
      chunkBytes *= 2;
      continue;
    }
    offset += start;
  }
  return { entries, end: offset, invalid };
}
