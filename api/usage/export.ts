// Raw usage records in a time range as CSV (RFC 4180), streamed: read in pages with a cursor on
// (started_at, id), up to the newest record as of the start, so memory stays flat for any range.
import type { Readable } from 'node:stream';
import { openPagedBody, toFormulaSafeCsvField as toCsvField } from '../http/download';
import { Op, type WhereOptions } from 'sequelize';
import { UsageRecordRow } from '../models/usage-record';
import type { UsageFilter } from './query';

export interface UsageExport {
  contentType: string;
  fileName: string;
  body: Readable;
}

const CSV_COLUMNS = [
  'request_id', 'started_at', 'endpoint', 'principal_kind', 'did', 'role', 'key_id', 'client_id', 'component_did', 'model',
  'account_id', 'account', 'upstream_model', 'credential_id', 'status', 'stream', 'prompt_tokens', 'completion_tokens',
  'tokens_estimated', 'cost_usd', 'latency_ms', 'ttfb_ms', 'attempts', 'error_code', 'record_id',
] as const;

function toCsvRecord(row: UsageRecordRow): string {
  const fields = [
    row.requestId, new Date(Number(row.startedAt)).toISOString(), row.endpoint, row.principalKind, row.did, row.role, row.keyId,
    row.clientId, row.componentDid, row.model, row.accountId, row.account, row.upstreamModel, row.credentialId, row.status,
    Boolean(row.stream), row.promptTokens, row.completionTokens, Boolean(row.tokensEstimated), row.costUsd, row.latencyMs,
    row.ttfbMs, row.attempts, row.errorCode, row.recordId,
  ];
  return `${fields.map(toCsvField).join(',')}\r\n`;
}

function filterWhere(filter: UsageFilter): WhereOptions<UsageRecordRow> {
  return {
    startedAt: { [Op.gte]: filter.since, [Op.lt]: filter.until },
    ...(filter.did !== undefined ? { did: filter.did } : {}),
  };
}

/** One string per page of records, oldest first; the header travels with the first page. */
export async function* readUsageCsv(filter: UsageFilter, pageSize = 1000): AsyncGenerator<string> {
  const head = await UsageRecordRow.max<number | string | null, UsageRecordRow>('id');
  let chunk = `${CSV_COLUMNS.join(',')}\r\n`;
  let cursor: { startedAt: number; id: number } | null = null;
  while (head !== null) {
    const after: WhereOptions<UsageRecordRow> = cursor
      ? { [Op.or]: [{ startedAt: { [Op.gt]: cursor.startedAt } }, { startedAt: cursor.startedAt, id: { [Op.gt]: cursor.id } }] }
      : {};
    const rows: UsageRecordRow[] = await UsageRecordRow.findAll({
      where: { [Op.and]: [filterWhere(filter), { id: { [Op.lte]: Number(head) } }, after] },
      order: [['startedAt', 'ASC'], ['id', 'ASC']],
      limit: pageSize,
    });
    for (const row of rows) chunk += toCsvRecord(row);
    yield chunk;
    chunk = '';
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    cursor = { startedAt: Number(last.startedAt), id: Number(last.id) };
  }
  yield chunk;
}

export function usageExportFileName(filter: UsageFilter): string {
  const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  return `keyhold-usage-${stamp(filter.since)}-${stamp(filter.until)}.csv`;
}

/**
 * Reads the first page before answering, so a failing query is still a clean error response; after
 * that, a failure cuts the stream short and the client sees an incomplete download.
 */
export async function openUsageExport(filter: UsageFilter, options: { pageSize?: number } = {}): Promise<UsageExport> {
  const body = await openPagedBody(readUsageCsv(filter, options.pageSize));
  return {
    contentType: 'text/csv; charset=utf-8',
    fileName: usageExportFileName(filter),
    body,
  };
}
