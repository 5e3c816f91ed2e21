// The vault facade: seals a credential's secret fields, opens them into Secrets (cached until the
// row changes), and resolves secret references. The only place plaintext credential values exist.
import type { Credential } from '../models/credential';
import { Secret } from './secret';
import { openField, sealField } from './cipher';
import type { Keyring } from './keyring';
import type { RootKey } from './root-key';
import { parseSecretRef, resolveSecretRef } from './secret-ref';

type CredentialRow = Pick<Credential, 'id' | 'secretFields' | 'secretRefs' | 'keyVersion' | 'updatedAt'>;

interface CacheEntry {
  stamp: string;
  secrets: Record<string, Secret>;
  /** Fields whose value comes from the environment: read again at every use. */
  envFields: Record<string, string>;
}

export class Vault {
  readonly #cache = new Map<string, CacheEntry>();

  constructor(
    readonly keyring: Keyring,
    readonly rootKey: RootKey,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  sealCredentialFields(credentialId: string, values: Record<string, string>): { secretFields: Record<string, string>; keyVersion: number | null } {
    const secretFields: Record<string, string> = {};
    for (const [field, value] of Object.entries(values)) {
      secretFields[field] = sealField(this.keyring, value, { ownerId: credentialId, field });
    }
    return { secretFields, keyVersion: Object.keys(secretFields).length ? this.keyring.activeVersion : null };
  }

  /** Every secret of a credential, stored or referenced, as Secrets. Throws a generic error on tampering. */
  openCredential(row: CredentialRow): Record<string, Secret> {
    const stamp = `${row.updatedAt?.getTime() ?? 0}:${row.keyVersion ?? 0}`;
    let entry = this.#cache.get(row.id);
    if (!entry || entry.stamp !== stamp) {
      entry = this.buildEntry(row, stamp);
      this.#cache.set(row.id, entry);
    }
    const envSecrets: Record<string, Secret> = {};
    for (const [field, name] of Object.entries(entry.envFields)) {
      envSecrets[field] = new Secret(resolveSecretRef({ kind: 'env', name }, this.rootKey, this.env));
    }
    return { ...entry.secrets, ...envSecrets };
  }

  private buildEntry(row: CredentialRow, stamp: string): CacheEntry {
    const secrets: Record<string, Secret> = {};
    const envFields: Record<string, string> = {};
    for (const [field, sealed] of Object.entries(row.secretFields ?? {})) {
      secrets[field] = new Secret(openField(this.keyring, sealed, { ownerId: row.id, field }));
    }
    for (const [field, text] of Object.entries(row.secretRefs ?? {})) {
      const ref = parseSecretRef(text, field);
      if (ref.kind === 'env') envFields[field] = ref.name;
      else secrets[field] = new Secret(resolveSecretRef(ref, this.rootKey, this.env));
    }
    return { stamp, secrets, envFields };
  }

  /** Re-seal every stored field of a row under the active key (rotation). */
  resealCredential(row: CredentialRow): { secretFields: Record<string, string>; keyVersion: number | null } {
    const plain: Record<string, string> = {};
    for (const [field, sealed] of Object.entries(row.secretFields ?? {})) {
      plain[field] = openField(this.keyring, sealed, { ownerId: row.id, field });
    }
    return this.sealCredentialFields(row.id, plain);
  }

  forget(credentialId: string): void {
    this.#cache.delete(credentialId);
  }
}
