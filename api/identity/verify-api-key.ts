// Verifies a presented API key against the in-memory index: format, HMAC (constant time), rotation
// grace, expiry, revocation. Every failure is the same ApiKeyInvalid; the reason goes to `cause`.
import type { ApiKeyHasher } from './api-key-hasher';
import type { ApiKeyIndex, KeyRecord } from './api-key-index';
import { parseApiKeyId } from './api-key-format';
import { ApiKeyInvalid } from '../errors';

export type ApiKeyFailure = 'malformed' | 'unknown' | 'wrong-secret' | 'rotated-out' | 'expired' | 'revoked';

// A fixed decoy so an unknown id costs the same HMAC as a known one: timing says nothing about ids.
const DECOY_HASH = '0'.repeat(64);

export function verifyApiKey(presented: string, index: ApiKeyIndex, hasher: ApiKeyHasher, now = Date.now()): KeyRecord {
  const id = parseApiKeyId(presented);
  const record = id ? index.get(id) : undefined;
  const fail = (reason: ApiKeyFailure): never => {
    throw new ApiKeyInvalid({ cause: { reason, keyId: record?.id ?? null } });
  };
  if (!id) fail('malformed');
  const current = hasher.matches(presented, record?.hash ?? DECOY_HASH);
  if (!record) return fail('unknown');
  const previous = !current && record.prevHash !== null && hasher.matches(presented, record.prevHash);
  if (!current && !previous) fail('wrong-secret');
  if (previous && (record.prevHashExpiresAt === null || record.prevHashExpiresAt <= now)) fail('rotated-out');
  if (record.revokedAt !== null && record.revokedAt <= now) fail('revoked');
  if (record.expiresAt !== null && record.expiresAt <= now) fail('expired');
  return record;
}
