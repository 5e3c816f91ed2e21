// Usage figures over a time range: totals, one row per model / user / key / account, and a series
// by hour or day (UTC), optionally for one user only. Aggregated in SQL with integer bucket
// arithmetic on started_at (Unix ms), which SQLite and PostgreSQL evaluate alike.
import { QueryTypes, type Sequelize } from 'sequelize';

export const USAGE_GROUPS = ['model', 'user', 'key', 'account'] as const;
export type UsageGroupBy = (typeof USAGE_GROUPS)[number];
export const USAGE_INTERVALS = ['hour', 'day'] as const;
export type UsageInterval = (typeof USAGE_INTERVALS)[number];

export const INTERVAL_MS: Record<UsageInterval, number> = { hour: 3_600_000, day: 86_400_000 };

export interface UsageFilter {
  /** Unix ms, inclusive. */
  since: number;
  /** Unix ms, exclusive. */
  until: number;
  /** Only this user's records (their sessions and all their keys); undefined for everyone. */
  did?: string;
}

export interface UsageSummaryQuery extends UsageFilter {
  interval: UsageInterval;
  groupBy?: UsageGroupBy;
  /** Most groups returned, busiest first; totals always cover everything. */
  groupLimit?: number;
}

export interface UsageFigures {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** Calls whose client got an error status (including streams cut by an upstream failure). */
  errors: number;
}

export interface UsageGroup extends UsageFigures {
  /** The model asked for, the user's DID, the key id, or the account id; null for calls without one (no key, no account reached). */
  key: string | null;
  /** For accounts, the account's name as recorded; otherwise the key itself. */
  label: string | null;
}

export interface UsageSummary {
  since: string;
  until: string;
  interval: UsageInterval;
  groupBy: UsageGroupBy | null;
  totals: UsageFigures;
  groups: UsageGroup[];
  series: Array<UsageFigures & { bucket: string }>;
}

// Column names come from this table only, never from input.
const GROUP_COLUMN: Record<UsageGroupBy, { key: string; label: string }> = {
  model: { key: 'model', label: 'model' },
  user: { key: 'did', label: 'did' },
  key: { key: 'key_id', label: 'key_id' },
  account: { key: 'account_id', label: 'MAX(account)' },
};

const FIGURES_SQL =
  'COUNT(*) AS requests, COALESCE(SUM(prompt_tokens), 0) AS prompt_tokens, COALESCE(SUM(completion_tokens), 0) AS completion_tokens, ' +
  'COALESCE(SUM(cost_usd), 0) AS cost_usd, COALESCE(SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END), 0) AS errors';

interface FiguresRow {
  requests: number | string;
  prompt_tokens: number | string;
  completion_tokens: number | string;
  cost_usd: number | string;
  errors: number | string;
}

// PostgreSQL returns COUNT and SUM over integers as strings; float noise is cut at 1e-10 dollars.
function toFigures(row: FiguresRow | undefined): UsageFigures {
  return {
    requests: Number(row?.requests ?? 0),
    promptTokens: Number(row?.prompt_tokens ?? 0),
    completionTokens: Number(row?.completion_tokens ?? 0),
    costUsd: Math.round(Number(row?.cost_usd ?? 0) * 1e10) / 1e10,
    errors: Number(row?.errors ?? 0),
  };
}

function whereOf(filter: UsageFilter): { sql: string; replacements: Record<string, unknown> } {
  const replacements: Record<string, unknown> = { since: filter.since, until: filter.until };
  let sql = 'WHERE started_at >= :since AND started_at < :until';
  if (filter.did !== undefined) {
    sql += ' AND did = :did';
    replacements.did = filter.did;
  }
  return { sql, replacements };
}

/** Start of the bucket holding `ms` (UTC). */
export function bucketStart(ms: number, interval: UsageInterval): number {
  const size = INTERVAL_MS[interval];
  return ms - (((ms % size) + size) % size);
}

export function countBuckets(since: number, until: number, interval: UsageInterval): number {
  return Math.ceil((until - bucketStart(since, interval)) / INTERVAL_MS[interval]);
}

export async function summarizeUsage(sequelize: Sequelize, query: UsageSummaryQuery): Promise<UsageSummary> {
  const { sql: where, replacements } = whereOf(query);
  const select = <T extends object>(sql: string) => sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements });
  const [totals] = await select<FiguresRow>(`SELECT ${FIGURES_SQL} FROM usage_records ${where}`);

  let groups: UsageGroup[] = [];
  if (query.groupBy) {
    const column = GROUP_COLUMN[query.groupBy];
    const limit = Math.max(1, Math.min(1000, Math.trunc(query.groupLimit ?? 100)));
    // Ties in key order, the group without a key (no API key, no account reached) last, on every dialect.
    const rows = await select<FiguresRow & { group_key: string | null; group_label: string | null }>(
      `SELECT ${column.key} AS group_key, ${column.label} AS group_label, ${FIGURES_SQL} FROM usage_records ${where} ` +
        `GROUP BY ${column.key} ORDER BY COUNT(*) DESC, CASE WHEN ${column.key} IS NULL THEN 1 ELSE 0 END, ${column.key} LIMIT ${limit}`,
    );
    groups = rows.map((row) => ({ key: row.group_key, label: row.group_label, ...toFigures(row) }));
  }

  const size = INTERVAL_MS[query.interval];
  const rows = await select<FiguresRow & { bucket: number | string }>(
    `SELECT started_at - (started_at % ${size}) AS bucket, ${FIGURES_SQL} FROM usage_records ${where} GROUP BY 1 ORDER BY 1`,
  );
  const byBucket = new Map(rows.map((row) => [Number(row.bucket), row]));
  // Every bucket in the range, empty ones included, so a chart needs no gap filling.
  const series: UsageSummary['series'] = [];
  for (let bucket = bucketStart(query.since, query.interval); bucket < query.until; bucket += size) {
    series.push({ bucket: new Date(bucket).toISOString(), ...toFigures(byBucket.get(bucket)) });
  }

  return {
    since: new Date(query.since).toISOString(),
    until: new Date(query.until).toISOString(),
    interval: query.interval,
    groupBy: query.groupBy ?? null,
    totals: toFigures(totals),
    groups,
    series,
  };
}
