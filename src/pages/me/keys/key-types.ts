// What GET/POST /api/me/keys answer (api/identity/api-key-view.ts), as the UI reads it, and the
// status a key is in. The full secret exists only on IssuedKey, the create/rotate answer.

export type KeyScope = 'read' | 'write' | 'admin';

export interface KeyBudget {
  usd?: number;
  tokens?: number;
  period: 'day' | 'month' | 'total';
}

export interface ApiKeyView {
  id: string;
  name: string;
  /** "kh-<id>_…": enough to recognise a key, nothing that authenticates. */
  prefix: string;
  scopes: KeyScope[];
  models: string[];
  rpm: number | null;
  tpm: number | null;
  budget: KeyBudget | null;
  expiresAt: string | null;
  revokedAt: string | null;
  previousSecretValidUntil: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

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
