// What GET /api/me/usage answers (api/usage/query.ts UsageSummary), as the UI reads it.

export type UsageInterval = 'hour' | 'day';
export type UsageGroupBy = 'model' | 'key' | 'account';

export interface UsageFigures {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  errors: number;
}

export interface UsageGroup extends UsageFigures {
  /** The model asked for, the key id or the account id; null for calls without one. */
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
  /** Every bucket of the range, empty ones included. */
  series: Array<UsageFigures & { bucket: string }>;
}
