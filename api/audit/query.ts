// Reads audit events for the admin API: filters and paging, newest first.
import { Op, type WhereOptions } from 'sequelize';
import { AuditEvent } from '../models/audit-event';

export interface AuditQuery {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  since?: Date;
  until?: Date;
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

export async function listAuditEvents(query: AuditQuery): Promise<{ data: AuditEventView[]; total: number }> {
  const where: WhereOptions<AuditEvent> = {};
  if (query.actor) Object.assign(where, { actorDid: query.actor });
  if (query.action) Object.assign(where, { action: query.action.endsWith('*') ? { [Op.like]: `${query.action.slice(0, -1)}%` } : query.action });
  if (query.targetType) Object.assign(where, { targetType: query.targetType });
  if (query.targetId) Object.assign(where, { targetId: query.targetId });
  if (query.since || query.until) {
    Object.assign(where, { time: { ...(query.since ? { [Op.gte]: query.since } : {}), ...(query.until ? { [Op.lte]: query.until } : {}) } });
  }
  const { rows, count } = await AuditEvent.findAndCountAll({ where, order: [['seq', 'DESC']], limit: query.limit, offset: query.offset });
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
