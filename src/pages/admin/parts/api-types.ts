// The admin API's response shapes as the pages read them. Where the server exports the view type
// (credentials, rules, explain, keys, audit, usage) it is imported as a type, so page and API cannot
// drift; the rest is written out here. Types only, but for the provider constants, a server module
// with no imports at all: no other server code reaches the UI bundle.
import type { AccountView as ServerAccountView, CredentialView } from '../../../../api/accounts/views';
import type { CredentialTestResult } from '../../../../api/accounts/credentials';
import type { ProviderType } from '../../../../api/accounts/provider-types';
import type { CredentialType } from '../../../../api/models/credential';

// The provider list and its needs are plain constants with no imports: the pages use the server's own.
export { PROVIDER_TYPES, NEEDS_BASE_URL, NEEDS_REGION } from '../../../../api/accounts/provider-types';
export type { ProviderType, CredentialType };

/** The server's account view; its type is one of the provider types (the API validated it). */
export type AccountView = Omit<ServerAccountView, 'type'> & { type: ProviderType };

export type ConnectionTestResult = CredentialTestResult & { credential: CredentialView };

export interface ListResponse<T> {
  data: T[];
}

export interface PagedResponse<T> extends ListResponse<T> {
  total: number;
}

export interface RuleRef {
  id: string;
  name: string | null;
}

// Answers the server defines: its own types (type-only, erased from the bundle), so they cannot drift.
export type { CredentialSecretView, CredentialView } from '../../../../api/accounts/views';
export type { RuleView } from '../../../../api/access/rule-view';
export type { AccessExplanation } from '../../../../api/access/explain-access';
export type { ApiKeyView } from '../../../../api/identity/api-key-view';
export type { AuditEventView } from '../../../../api/audit/query';

export const USAGE_GROUPS = ['model', 'user', 'key', 'account'] as const;
export type { UsageFigures, UsageGroup, UsageGroupBy, UsageInterval, UsageSummary } from '../../../../api/usage/query';

export type ChainVerdict =
  | { ok: true; events: number; head: string }
  | { ok: false; events: number; brokenAt: number; problem: string; reason: string };

export interface RotationProgress {
  running: boolean;
  activeVersion: number;
  total: number;
  done: number;
}

export interface KeyringState {
  versions: Array<{ version: number; status: 'active' | 'retiring' | 'retired'; createdAt: string; retiredAt: string | null }>;
  progress: RotationProgress;
}

export const LIMIT_ROLES = ['owner', 'admin', 'member', 'guest', 'component'] as const;
export type LimitRole = (typeof LIMIT_ROLES)[number];

export interface RoleLimits {
  rpm?: number | null;
  tpm?: number | null;
  concurrency?: number | null;
  budget?: { usd?: number; tokens?: number; period: 'day' | 'month' | 'total' } | null;
}

export interface Settings {
  defaultPolicy: 'allow-authenticated' | 'deny';
  maxKeyLifetimeDays: number | null;
  keyRotationGraceHours: number;
  defaultLimits: Partial<Record<LimitRole, RoleLimits>>;
  usageRetentionDays: number | null;
}

export interface Price {
  input: number;
  output: number;
}

export interface PriceTableResponse {
  currency: string;
  per: string;
  data: Record<string, Price>;
}
