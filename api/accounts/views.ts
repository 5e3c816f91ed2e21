// What the API (and the audit trail) shows of accounts and credentials: public data, secrets
// masked only. Never a plaintext or a ciphertext.
import type { ProviderAccount } from '../models/provider-account';
import type { AccountLimits } from '../limits/limit-schema';
import type { Credential } from '../models/credential';
import type { Vault } from '../vault/vault';
import { describeSecretRef } from '../vault/secret-ref';

export interface AccountView {
  id: string;
  name: string;
  type: string;
  baseUrl: string | null;
  region: string | null;
  apiVersion: string | null;
  enabled: boolean;
  enabledModels: string[];
  modelAliases: Record<string, string>;
  weight: number;
  timeoutMs: number | null;
  limits: AccountLimits | null;
  createdAt: string;
  updatedAt: string;
}

export interface CredentialSecretView {
  source: 'stored' | 'env' | 'enc';
  ref?: string;
  /** The masked value, or null when it cannot be read now (unset variable, damaged value). */
  masked: string | null;
}

export interface CredentialView {
  id: string;
  accountId: string;
  name: string;
  type: string;
  publicFields: Record<string, string>;
  secrets: Record<string, CredentialSecretView>;
  weight: number;
  enabled: boolean;
  status: string;
  lastError: string | null;
  lastTestedAt: string | null;
  lastUsedAt: string | null;
  keyVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export function toAccountView(row: ProviderAccount): AccountView {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    baseUrl: row.baseUrl,
    region: row.region,
    apiVersion: row.apiVersion,
    enabled: row.enabled,
    enabledModels: row.enabledModels ?? [],
    modelAliases: row.modelAliases ?? {},
    weight: row.weight ?? 1,
    timeoutMs: row.timeoutMs,
    limits: row.limits ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function maskedSecrets(row: Credential, vault: Vault): Record<string, CredentialSecretView> {
  let opened: Record<string, { masked: string }> = {};
  try {
    opened = vault.openCredential(row);
  } catch {
    // Shown as unreadable; the reason stays in the vault (a generic decryption error by design).
  }
  const views: Record<string, CredentialSecretView> = {};
  for (const field of Object.keys(row.secretFields ?? {})) views[field] = { source: 'stored', masked: opened[field]?.masked ?? null };
  for (const [field, ref] of Object.entries(row.secretRefs ?? {})) {
    views[field] = { source: ref.startsWith('env:') ? 'env' : 'enc', ref: describeSecretRef(ref), masked: opened[field]?.masked ?? null };
  }
  return views;
}

export function toCredentialView(row: Credential, vault: Vault): CredentialView {
  return {
    id: row.id,
    accountId: row.accountId,
    name: row.name,
    type: row.type,
    publicFields: row.publicFields ?? {},
    secrets: maskedSecrets(row, vault),
    weight: row.weight,
    enabled: row.enabled,
    status: row.status,
    lastError: row.lastError,
    lastTestedAt: row.lastTestedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    keyVersion: row.keyVersion,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
