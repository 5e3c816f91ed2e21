// What GET/POST /api/me/keys answer, and the status a key is in. The full secret exists only on
// IssuedKey, the create/rotate answer.
import type { ApiKeyView } from '../../../../api/identity/api-key-view';

// The server's own types (type-only, erased from the bundle), so the page and the API cannot drift.
export type { KeyBudget, KeyScope } from '../../../../api/models/api-key';
export type { ApiKeyView };

export interface IssuedKey extends ApiKeyView {
  /** The full key, returned by create and rotate only. Held in memory until its dialog closes. */
  key: string;
}

export interface KeyList {
  data: ApiKeyView[];
  total: number;
}

export type KeyStatus = 'active' | 'expired' | 'revoked';

export function statusOf(key: ApiKeyView, now = Date.now()): KeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return 'expired';
  return 'active';
}
