// Audit export as JSON Lines or CSV (RFC 4180), streamed: events are read in pages with a cursor on
// seq, up to the head as it was when the export began, so memory stays flat however long the
// trail. Rows are written as stored: before/after are the masked snapshots, never a secret.
import type { Readable } from 'node:stream';
import { openPagedBody, toCsvField } from '../http/download';
import { Op } from 'sequelize';
import { AuditEvent } from '../models/audit-event';
import { auditFilterWhere, toAuditEventView, type AuditFilter } from './query';

export const AUDIT_EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

export interface AuditExport {
  contentType: string;
  fileName: string;
  body: Readable;
}

const CONTENT_TYPE: Record<AuditExportFormat, string> = { jsonl: 'application/x-ndjson', csv: 'text/csv; charset=utf-8' };

const CSV_COLUMNS = [
  'seq', 'time', 'actor_did', 'actor_role', 'actor_method', 'action', 'target_type', 'target_id',
  'before', 'after', 'ip', 'request_id', 'prev_hash', 'hash',
] as const;

function toCsvRecord(row: AuditEvent): string {
  // before/after stay the canonical JSON text that was hashed, so the chain can be rechecked from the file.
  const fields = [
    row.seq, row.time.toISOString(), row.actorDid, row.actorRole, row.actorMethod, row.action, row.targetType, row.targetId,
    row.before, row.after, row.ip, row.requestId, row.prevHash, row.hash,
  ];
  return `${fields.map(toCsvField).join(',')}\r\n`;
}

function toJsonLine(row: AuditEvent): string {
  return `${JSON.stringify(toAuditEventView(row))}\n`;
}

/** One string per page of events, oldest first; the CSV header travels with the first page. */
export async function* readAuditExport(filter: AuditFilter, format: AuditExportFormat, pageSize = 500): AsyncGenerator<string> {
  const head = await AuditEvent.max<number | null, AuditEvent>('seq');
  let chunk = format === 'csv' ? `${CSV_COLUMNS.join(',')}\r\n` : '';
  let cursor = Number.MIN_SAFE_INTEGER;
  const toRecord = format === 'csv' ? toCsvRecord : toJsonLine;
  while (head !== null) {
    const rows = await AuditEvent.findAll({
      where: { [Op.and]: [auditFilterWhere(filter), { seq: { [Op.gt]: cursor, [Op.lte]: head } }] },
      order: [['seq', 'ASC']],
      limit: pageSize,
    });
    for (const row of rows) chunk += toRecord(row);
    if (chunk) yield chunk;
    chunk = '';
    if (rows.length < pageSize) break;
    cursor = rows[rows.length - 1].seq;
  }
  if (chunk) yield chunk;
}

export function auditExportFileName(format: AuditExportFormat, now = new Date()): string {
  return `keyhold-audit-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')}.${format}`;
}

/**
 * Reads the first page before answering, so a failing query is still a clean error response; after
 * that, a failure cuts the stream short and the client sees an incomplete download, not a short file.
 */
export async function openAuditExport(filter: AuditFilter, format: AuditExportFormat, options: { pageSize?: number; now?: Date } = {}): Promise<AuditExport> {
  const body = await openPagedBody(readAuditExport(filter, format, options.pageSize));
  return {
    contentType: CONTENT_TYPE[format],
    fileName: auditExportFileName(format, options.now),
    body,
  };
}
