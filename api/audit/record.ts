// Appends one audit event inside the caller's transaction, so the event exists exactly when the
// change it records does. Callers pass masked snapshots only (the API views).
import type { Transaction } from 'sequelize';
import { AuditEvent } from '../models/audit-event';
import type { Actor } from './actor';
import { GENESIS_HASH, hashAuditEvent, snapshotText, type ChainedFields } from './chain';

export interface AuditInput {
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Must run inside runWriteTransaction: the serial queue is what keeps seq and prevHash in order. */
export async function appendAuditEvent(tx: Transaction, actor: Actor, input: AuditInput): Promise<AuditEvent> {
  const last = await AuditEvent.findOne({ order: [['seq', 'DESC']], attributes: ['seq', 'hash'], transaction: tx });
  const fields: ChainedFields = {
    seq: (last?.seq ?? 0) + 1,
    time: new Date().toISOString(),
    actorDid: actor.did,
    actorRole: actor.role,
    actorMethod: actor.method,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId ?? null,
    before: snapshotText(input.before),
    after: snapshotText(input.after),
    ip: actor.ip,
    requestId: actor.requestId,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  return AuditEvent.create({ ...fields, time: new Date(fields.time), hash: hashAuditEvent(fields) }, { transaction: tx });
}
