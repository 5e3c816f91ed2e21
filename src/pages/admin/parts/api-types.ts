// The admin API's response shapes as the pages read them, mirrored from the server's views
// (api/accounts/views.ts, api/access/*, api/usage/query.ts, api/audit/*, api/settings/settings.ts).
// Types only: the UI bundle never imports server code.

export const PROVIDER_TYPES = ['openai', 'azure-openai', 'anthropic', 'google-gemini', 'aws-bedrock', 'ollama', 'openai-compatible'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export interface AccountView {
  id: string;
  name: string;
  type: ProviderType;
  baseUrl: string | null;
  region: string | null;
  apiVersion: string | null;
  enabled: boolean;
  enabledModels: string[];
  modelAliases: Record<string, string>;
  weight: number;
  timeoutMs: number | null;
  /** Rate limits on all traffic Keyhold sends this account, or null. */
  limits: { rpm?: number | null; tpm?: number | null; concurrency?: number | null } | null;
  createdAt: string;
  updatedAt: string;
}

export interface CredentialSecretView {
  source: 'stored' | 'env' | 'enc';
  ref?: string;
  /** Already masked by the server; null when the value cannot be read now. */
  masked: string | null;
}

export type CredentialType = 'api_key' | 'access_key_pair' | 'custom';

export interface CredentialView {
  id: string;
  accountId: string;
  name: string;
  type: CredentialType;
  publicFields: Record<string, string>;
  secrets: Record<string, CredentialSecretView>;
  weight: number;
  enabled: boolean;
  /** active | disabled | error | cooling (whatever the gateway's health tracking wrote). */
  status: string;
  lastError: string | null;
  lastTestedAt: string | null;
  lastUsedAt: string | null;
  keyVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface ConnectionTestResult {
  ok: boolean;
  status: number | null;
  latencyMs: number;
  models?: number;
  error?: string;
  credential: CredentialView;
}

export interface ListResponse<T> {
  data: T[];
}

export interface PagedResponse<T> extends ListResponse<T> {
  total: number;
}

export interface RuleView {
  id: string;
  name: string | null;
  position: number;
  models: string[];
  users: string[];
  roles: string[];
  components: string[];
  keys: string[];
  effect: 'allow' | 'deny';
  priority: number;
  enabled: boolean;
  /** An allow rule's rate limits on the calls it lets through. */
  limits: { rpm?: number | null; tpm?: number | null; concurrency?: number | null; per?: Array<'user' | 'key' | 'model'> } | null;
  createdAt: string;
  updatedAt: string;
}

export interface RuleRef {
  id: string;
  name: string | null;
}

export interface AccessExplanation {
  allowed: boolean;
  rule: RuleRef | null;
  reason: string;
  matched: Array<RuleRef & { effect: 'allow' | 'deny'; priority: number }>;
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  ownerDid: string;
  ownerRole: string;
  clientId: string | null;
  scopes: string[];
  models: string[];
  rpm: number | null;
  tpm: number | null;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdBy: string;
  createdAt: string;
}

export const USAGE_GROUPS = ['model', 'user', 'key', 'account'] as const;
export type UsageGroupBy = (typeof USAGE_GROUPS)[number];
export type UsageInterval = 'hour' | 'day';

export interface UsageFigures {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  errors: number;
}

export interface UsageGroup extends UsageFigures {
  key: string | null;
  label: string | null;
}

export interface UsageSummary {
  since: string;
  until: string;
  interval: UsageInterval;
  groupBy: UsageGroupBy | null;
  totals: UsageFigures;
  groups: UsageGroup[];
  series: Array<UsageFigures & { bucket: string }>;
}

export interface AuditEventView {
  seq: number;
  time: string;
  actor: { did: string; role: string; method: string };
  action: string;
  target: { type: string; id: string | null };
  before: unknown;
  after: unknown;
  ip: string | null;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

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
