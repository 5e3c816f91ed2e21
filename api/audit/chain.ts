// The hash chain: each event's hash covers its canonical JSON (RFC 8785) and the previous hash, so an
// edited, deleted or reordered row breaks every link after it.
import crypto from 'node:crypto';
import canonicalize from 'canonicalize';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  seq: number;
  time: string;
  actorDid: string;
  actorRole: string;
  actorMethod: string;
  action: string;
  targetType: string;
  targetId: string | null;
  before: string | null;
  after: string | null;
  ip: string | null;
  requestId: string | null;
  prevHash: string;
}

export function hashAuditEvent(fields: ChainedFields): string {
  const text = canonicalize(fields);
  if (text === undefined) throw new Error('audit event cannot be canonicalized');
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Canonical JSON text of a masked snapshot, or null. */
export function snapshotText(snapshot: unknown): string | null {
  if (snapshot === null || snapshot === undefined) return null;
  return canonicalize(snapshot) ?? null;
}
