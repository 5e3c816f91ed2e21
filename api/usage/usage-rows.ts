// Journal entries -> usage_records rows. Inserting is idempotent on record_id, so the batch writer
// and replay may both hand over the same record (a crash between insert and cursor) without harm.
import { QueryTypes, type Sequelize } from 'sequelize';
import type { JournalEntry } from './journal-lines';

// Cut to the column sizes, without NUL: PostgreSQL rejects an over-long string or a NUL byte (a
// client may send either in a model name), and one such value must not block a batch forever.
function cut(value: string, max: number): string {
  const clean = value.includes('\0') ? value.replaceAll('\0', '') : value;
  return clean.length > max ? clean.slice(0, max) : clean;
}
const cutOrNull = (value: string | null, max: number): string | null => (value === null ? null : cut(value, max));

/** The row as stored: column names as in migration 0004. */
export function toUsageRow(entry: JournalEntry): Record<string, string | number | boolean | null> {
  return {
    record_id: cut(entry.recordId, 64),
    request_id: cut(entry.requestId, 64),
    started_at: entry.startedAt,
    endpoint: cut(entry.endpoint, 32),
    principal_kind: cut(entry.principalKind, 16),
    did: cut(entry.did, 128),
    role: cut(entry.role, 32),
    key_id: cutOrNull(entry.keyId, 32),
    client_id: cutOrNull(entry.clientId, 128),
    component_did: cutOrNull(entry.componentDid, 128),
    model: cut(entry.model, 512),
    account_id: cutOrNull(entry.accountId, 36),
    account: cutOrNull(entry.account, 64),
    upstream_model: cutOrNull(entry.upstreamModel, 512),
    credential_id: cutOrNull(entry.credentialId, 36),
    status: entry.status,
    stream: entry.stream,
    prompt_tokens: entry.promptTokens,
    completion_tokens: entry.completionTokens,
    tokens_estimated: entry.tokensEstimated,
    cost_usd: entry.costUsd,
    latency_ms: entry.latencyMs,
    ttfb_ms: entry.ttfbMs,
    attempts: entry.attempts,
    error_code: cutOrNull(entry.errorCode, 64),
  };
}

export type InsertEntries = (entries: JournalEntry[]) => Promise<void>;

/**
 * A string as an SQL literal, on SQLite and on PostgreSQL alike: its quotes doubled, exactly what
 * Sequelize's escape does for both. A backslash is an ordinary character on both: Sequelize turns
 * standard_conforming_strings on for every PostgreSQL connection it opens. NUL, the one character
 * that would need more, is gone: every string of a row passed through cut(). Sequelize's escape
 * walks its dialect and type checks for each value, and every record's dozen strings pass here on
 * the gateway's event loop: 2.3 µs per record for the statement with it, 0.9 without (isolated,
 * 100-record batches).
 */
function sqlText(text: string): string {
  return `'${text.includes("'") ? text.replaceAll("'", "''") : text}'`;
}

// TRUE/FALSE are keywords on both dialects; numbers were checked finite when the line was read.
function sqlValue(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return sqlText(value);
  if (typeof value === 'number') return String(value);
  return value ? 'TRUE' : 'FALSE';
}

/** The VALUES list of a batch, one parenthesised row per entry, in toUsageRow's column order. */
function valuesOf(entries: readonly JournalEntry[]): string {
  let values = '';
  for (let i = 0; i < entries.length; i += 1) {
    const row = toUsageRow(entries[i]);
    let line = '';
    let first = true;
    for (const column in row) {
      line += first ? sqlValue(row[column]) : `,${sqlValue(row[column])}`;
      first = false;
    }
    values += i === 0 ? `(${line})` : `,\n(${line})`;
  }
  return values;
}

/**
 * One multi-row INSERT; a record already stored (same record_id) is skipped, not an error. The
 * statement is written here: Model.bulkCreate (a model instance per row) took several times as long
 * per batch, and queryInterface.bulkInsert builds the same text about twice as slowly. ON CONFLICT
 * ... DO NOTHING reads the same on SQLite (3.24+) and PostgreSQL, the two dialects Keyhold runs on.
 */
export function createUsageInserter(sequelize: Sequelize): InsertEntries {
  const run = statementRunner(sequelize);
  let columns: string | null = null;
  return async (entries) => {
    if (entries.length === 0) return;
    columns ??= Object.keys(toUsageRow(entries[0])).join(', ');
    await run(`INSERT INTO usage_records (${columns}) VALUES ${valuesOf(entries)} ON CONFLICT (record_id) DO NOTHING`);
  };
}

type RunStatement = (sql: string) => Promise<void>;

/**
 * How a batch's statement is run. Through Sequelize's query path, even typed as an INSERT, the whole
 * statement (hundreds of KB for a full batch) is lower-cased and searched several times over to
 * guess what kind of query it is: about 5 µs of the gateway's CPU per record at 3,500 calls a second
 * (profiled). On SQLite it therefore goes straight to the connection Sequelize runs its own queries
 * on (the one the PRAGMAs of db/connect.ts were set on); elsewhere through sequelize.query.
 */
function statementRunner(sequelize: Sequelize): RunStatement {
  if (sequelize.getDialect() !== 'sqlite') {
    return async (sql) => {
      await sequelize.query(sql, { type: QueryTypes.INSERT });
    };
  }
  return async (sql) => {
    const db = (await sequelize.connectionManager.getConnection({ type: 'write' })) as unknown as SqliteDatabase;
    await new Promise<void>((resolve, reject) => db.run(sql, (err) => (err ? reject(err) : resolve())));
  };
}

/** The part of node-sqlite3's Database used here. */
interface SqliteDatabase {
  run(sql: string, callback: (err: Error | null) => void): void;
}
