// Reads audit events for the admin API: the shared filter (actor, action or action prefix, target,
// time), and one page of events, newest first. Export (export.ts) reuses the filter, not the paging.
import { Op, col, fn, where, type WhereOptions } from 'sequelize';
import { AuditEvent } from '../models/audit-event';

export interface AuditFilter {
  actor?: string;
  /** An exact action, or a prefix ending in `*` (`credential.*`). */
  action?: string;
  targetType?: string;
  targetId?: string;
  since?: Date;
  until?: Date;
}

export interface AuditQuery extends AuditFilter {
  limit: number;
  offset: number;
}

export interface AuditEventView {
  seq: number;
  time: string;
  actor: { did: string; role: string; method: string };
  action: string;
  target: { type: string; id: string | null };
  before: unknown;
  after: unknown;
  ip: string | null;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

function actionCondition(action: string): WhereOptions<AuditEvent> | null {
  if (!action.endsWith('*')) return { action };
  const prefix = action.slice(0, -1);
  if (!prefix) return null;
  // An exact, case-sensitive prefix: LIKE would read the `_` of `api_key.*` (or a `%`) as a
  // wildcard, and SQLite's LIKE ignores case. substr counts characters on SQLite and PostgreSQL alike.
  return where(fn('substr', col('action'), 1, [...prefix].length), prefix);
}

/** The WHERE clause for a filter; every condition must hold. */
export function auditFilterWhere(filter: AuditFilter): WhereOptions<AuditEvent> {
  const conditions: WhereOptions<AuditEvent>[] = [];
  if (filter.actor) conditions.push({ actorDid: filter.actor });
  const action = filter.action ? actionCondition(filter.action) : null;
  if (action) conditions.push(action);
  if (filter.targetType) conditions.push({ targetType: filter.targetType });
  if (filter.targetId) conditions.push({ targetId: filter.targetId });
  if (filter.since) conditions.push({ time: { [Op.gte]: filter.since } });
  if (filter.until) conditions.push({ time: { [Op.lte]: filter.until } });
  return { [Op.and]: conditions };
}

export async function listAuditEvents(query: AuditQuery): Promise<{ data: AuditEventView[]; total: number }> {
  const { rows, count } = await AuditEvent.findAndCountAll({
    where: auditFilterWhere(query),
    order: [['seq', 'DESC']],
    limit: query.limit,
    offset: query.offset,
  });
  return { data: rows.map(toAuditEventView), total: count };
}

export function toAuditEventView(row: AuditEvent): AuditEventView {
  return {
    seq: row.seq,
    time: row.time.toISOString(),
    actor: { did: row.actorDid, role: row.actorRole, method: row.actorMethod },
    action: row.action,
    target: { type: row.targetType, id: row.targetId },
    before: row.before ? JSON.parse(row.before) : null,
    after: row.after ? JSON.parse(row.after) : null,
    ip: row.ip,
    requestId: row.requestId,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
