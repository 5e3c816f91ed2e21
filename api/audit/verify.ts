// Walks the audit chain in seq order and reports the first broken link: a changed row, a missing
// seq, or rows out of order. Read-only.
import { AuditEvent } from '../models/audit-event';
import { GENESIS_HASH, hashAuditEvent } from './chain';

export type ChainVerdict = { ok: true; events: number; head: string } | { ok: false; events: number; brokenAt: number; reason: string };

export async function verifyAuditChain(pageSize = 1000): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (;;) {
    const rows = await AuditEvent.findAll({ where: {}, order: [['seq', 'ASC']], offset: count, limit: pageSize, raw: true });
    if (!rows.length) return { ok: true, events: count, head: prevHash };
    for (const row of rows) {
      if (row.seq !== expectedSeq) return { ok: false, events: count, brokenAt: expectedSeq, reason: `seq ${expectedSeq} is missing` };
      if (row.prevHash !== prevHash) return { ok: false, events: count, brokenAt: row.seq, reason: 'previous hash does not match' };
      const time = row.time instanceof Date ? row.time.toISOString() : new Date(row.time).toISOString();
      const { hash, ...rest } = row;
      if (hashAuditEvent({ ...rest, time }) !== hash) return { ok: false, events: count, brokenAt: row.seq, reason: 'event content does not match its hash' };
      prevHash = hash;
      expectedSeq += 1;
      count += 1;
    }
  }
}
