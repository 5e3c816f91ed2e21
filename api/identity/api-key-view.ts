// What the API shows of a key: everything but its hash. The secret itself is returned once, by
// create and rotate, beside this view.
import type { ApiKey, KeyBudget, KeyScope } from '../models/api-key';

export interface ApiKeyView {
  id: string;
  name: string;
  /** How the key starts, to recognise it: kh-<id>_… */
  prefix: string;
  ownerDid: string;
  ownerRole: string;
  clientId: string | null;
  scopes: KeyScope[];
  models: string[];
  rpm: number | null;
  tpm: number | null;
  budget: KeyBudget | null;
  expiresAt: string | null;
  revokedAt: string | null;
  previousSecretValidUntil: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  createdBy: string;
  createdAt: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toApiKeyView(row: ApiKey): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: `kh-${row.id}_…`,
    ownerDid: row.ownerDid,
    ownerRole: row.ownerRole,
    clientId: row.clientId,
    scopes: row.scopes,
    models: row.models,
    rpm: row.rpm,
    tpm: row.tpm,
    budget: row.budget,
    expiresAt: iso(row.expiresAt),
    revokedAt: iso(row.revokedAt),
    previousSecretValidUntil: row.prevHash ? iso(row.prevHashExpiresAt) : null,
    lastUsedAt: iso(row.lastUsedAt),
    lastUsedIp: row.lastUsedIp,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}
