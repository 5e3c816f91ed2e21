// Who is calling, once identified: the one shape routes, access rules, limits, usage and audit use.
import type { KeyScope } from '../models/api-key';

export type PrincipalKind = 'user' | 'key' | 'component';

export interface Principal {
  kind: PrincipalKind;
  /** The user's DID (for a key, its owner's DID; for a component, the calling component's DID). */
  did: string;
  /** owner | admin | member | guest, or 'component'. */
  role: string;
  keyId?: string;
  scopes: KeyScope[];
  clientId?: string;
  componentDid?: string;
  /** A key's model allow-list (FQN patterns); absent means no key-level restriction. */
  keyModels?: string[];
}

/** What a role may do at most; an API key's scopes are capped by this. */
export function scopesForRole(role: string): KeyScope[] {
  if (role === 'owner' || role === 'admin') return ['read', 'write', 'admin'];
  if (role === 'member' || role === 'guest') return ['read', 'write'];
  return [];
}
