// Walks the audit chain in seq order and reports the first broken link and what broke it: an
// edited row, a missing seq, rows moved out of order, or a link to a predecessor that was
// rewritten. Read-only; pages with a cursor on seq. It cannot see events cut from the end of the
// chain: compare the head it reports with one kept elsewhere for that.
import { Op } from 'sequelize';
import { AuditEvent } from '../models/audit-event';
import { GENESIS_HASH, hashAuditEvent, type ChainedFields } from './chain';

/**
 * edited: a row no longer matches its own hash; missing: a seq is absent; reordered: the event that
 * belongs here is stored at another seq; broken_link: the row matches its hash but its previous hash
 * is not its predecessor's (the predecessor was rewritten and re-hashed, or this row was forged).
 */
export type ChainProblem = 'edited' | 'missing' | 'reordered' | 'broken_link';

export type ChainVerdict =
  | { ok: true; events: number; head: string }
  | { ok: false; events: number; brokenAt: number; problem: ChainProblem; reason: string };

type Broken = Extract<ChainVerdict, { ok: false }>;
/** A raw row: SQLite hands time back as text, PostgreSQL as a Date. */
type StoredEvent = Omit<ChainedFields, 'time'> & { time: string | Date; hash: string };

function chainedFieldsOf(row: StoredEvent): ChainedFields {
  // The hash covers the ISO form of the time.
  const time = row.time instanceof Date ? row.time.toISOString() : new Date(row.time).toISOString();
  return {
    seq: row.seq, time, actorDid: row.actorDid, actorRole: row.actorRole, actorMethod: row.actorMethod, action: row.action,
    targetType: row.targetType, targetId: row.targetId, before: row.before, after: row.after, ip: row.ip, requestId: row.requestId,
    prevHash: row.prevHash,
  };
}

/** The row at `seq` does not point at `prevHash`: find out whether it moved, or its predecessor changed. */
async function diagnoseLink(row: StoredEvent, prevHash: string, contentOk: boolean, events: number): Promise<Broken> {
  const broken = { ok: false as const, events, brokenAt: row.seq };
  // The event that really follows the last good one, if it is still in the table, sits elsewhere.
  const successor = await AuditEvent.findOne({ where: { prevHash, seq: { [Op.ne]: row.seq } }, attributes: ['seq'], raw: true });
  if (successor) {
    const expected = row.seq === 1 ? 'the first event' : `the event after seq ${row.seq - 1}`;
    return { ...broken, problem: 'reordered', reason: `rows out of order: ${expected} is stored at seq ${successor.seq}` };
  }
  const predecessor = row.seq === 1 ? 'the genesis hash' : `the hash of seq ${row.seq - 1}`;
  // The row still matches its own hash, so what changed is what it points at: its predecessor was
  // rewritten (and re-hashed), or this row was forged to fit.
  if (contentOk) return { ...broken, problem: 'broken_link', reason: `previous hash does not match ${predecessor}` };
  return { ...broken, problem: 'edited', reason: 'event content does not match its hash' };
}

export async function verifyAuditChain(pageSize = 1000): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let cursor = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const rows = (await AuditEvent.findAll({ where: { seq: { [Op.gt]: cursor } }, order: [['seq', 'ASC']], limit: pageSize, raw: true })) as unknown as StoredEvent[];
    if (!rows.length) return { ok: true, events: expectedSeq - 1, head: prevHash };
    for (const row of rows) {
      const events = expectedSeq - 1;
      if (row.seq > expectedSeq) {
        const reason = row.seq === expectedSeq + 1 ? `seq ${expectedSeq} is missing` : `seq ${expectedSeq} to ${row.seq - 1} are missing`;
        return { ok: false, events, brokenAt: expectedSeq, problem: 'missing', reason };
      }
      if (row.seq < expectedSeq) return { ok: false, events, brokenAt: row.seq, problem: 'edited', reason: `seq ${row.seq} is not a position in the chain` };
      const contentOk = hashAuditEvent(chainedFieldsOf(row)) === row.hash;
      if (row.prevHash !== prevHash) return diagnoseLink(row, prevHash, contentOk, events);
      if (!contentOk) return { ok: false, events, brokenAt: row.seq, problem: 'edited', reason: 'event content does not match its hash' };
      prevHash = row.hash;
      expectedSeq += 1;
    }
    cursor = rows[rows.length - 1].seq;
  }
}
