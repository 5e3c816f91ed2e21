// The time window of the usage views (Overview and Usage): a picker, and the query string for
// GET /api/admin/usage. The window's start is fixed when the choice changes, so the request path
// stays the same between renders and useApi does not refetch in a loop.
import { useMemo } from 'react';
import { ToggleButton, ToggleButtonGroup } from '@mui/material';
import type { UsageGroupBy, UsageInterval } from './api-types';

export const PERIODS = {
  '24h': { label: '24 hours', ms: 24 * 3_600_000, interval: 'hour' },
  '7d': { label: '7 days', ms: 7 * 86_400_000, interval: 'day' },
  '30d': { label: '30 days', ms: 30 * 86_400_000, interval: 'day' },
  '90d': { label: '90 days', ms: 90 * 86_400_000, interval: 'day' },
} as const satisfies Record<string, { label: string; ms: number; interval: UsageInterval }>;

export type PeriodId = keyof typeof PERIODS;

export interface UsageQuery {
  period: PeriodId;
  interval: UsageInterval;
  groupBy?: UsageGroupBy;
  limit?: number;
}

/** The start of the window, fixed per choice (and per `refresh` tick). */
export function useWindowStart(period: PeriodId, refresh = 0): Date {
  return useMemo(() => new Date(Date.now() - PERIODS[period].ms), [period, refresh]);
}

export function usageQueryString(since: Date, query: Omit<UsageQuery, 'period'> & { format?: 'csv' }): string {
  const params = new URLSearchParams({ since: since.toISOString() });
  if (query.format === 'csv') {
    params.set('format', 'csv');
    return params.toString();
  }
  params.set('interval', query.interval);
  if (query.groupBy) params.set('groupBy', query.groupBy);
  if (query.limit) params.set('limit', String(query.limit));
  return params.toString();
}

export function PeriodPicker({ value, onChange }: { value: PeriodId; onChange(period: PeriodId): void }) {
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={value}
      onChange={(_event, next: PeriodId | null) => next && onChange(next)}
      aria-label="Period"
      data-testid="period-picker"
    >
      {(Object.keys(PERIODS) as PeriodId[]).map((id) => (
        <ToggleButton key={id} value={id} aria-label={PERIODS[id].label}>
          {id}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
