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
    record_id: entry.recordId,
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
 * One multi-row INSERT; a record already stored (same record_id) is skipped, not an error. The
 * statement is written here: Model.bulkCreate (a model instance per row) took several times as long
 * per batch, and queryInterface.bulkInsert builds the same text about twice as slowly. Strings go
 * through Sequelize's dialect-aware escape; ON CONFLICT ... DO NOTHING reads the same on SQLite
 * (3.24+) and PostgreSQL.
 */
export function createUsageInserter(sequelize: Sequelize): InsertEntries {
  // TRUE/FALSE are keywords on both dialects; numbers were checked finite when the line was read.
  const escape = (value: string | number | boolean | null): string =>
    value === null ? 'NULL' : typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : typeof value === 'number' ? String(value) : sequelize.escape(value);
  const run = statementRunner(sequelize);
  let columns: string | null = null;
  return async (entries) => {
    if (entries.length === 0) return;
    const rows = entries.map(toUsageRow);
    columns ??= Object.keys(rows[0]).join(', ');
    const values = rows.map((row) => `(${Object.values(row).map(escape).join(',')})`).join(',\n');
    await run(`INSERT INTO usage_records (${columns}) VALUES ${values} ON CONFLICT (record_id) DO NOTHING`);
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
