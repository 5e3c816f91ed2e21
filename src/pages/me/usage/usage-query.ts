// The usage page's choices (period, interval, grouping) and the query strings they make for
// GET /api/me/usage and its CSV export. The server's query is strict: only its own parameters.
import type { UsageGroupBy, UsageInterval } from './usage-types';

export type UsagePeriod = '24h' | '7d' | '30d' | '90d';

export const PERIODS: Array<{ value: UsagePeriod; label: string; ms: number; interval: UsageInterval }> = [
  { value: '24h', label: '24 h', ms: 24 * 3_600_000, interval: 'hour' },
  { value: '7d', label: '7 days', ms: 7 * 86_400_000, interval: 'day' },
  { value: '30d', label: '30 days', ms: 30 * 86_400_000, interval: 'day' },
  { value: '90d', label: '90 days', ms: 90 * 86_400_000, interval: 'day' },
];

export interface UsageChoice {
  period: UsagePeriod;
  interval: UsageInterval;
  groupBy: UsageGroupBy;
}

export interface UsageRange {
  since: string;
  until: string;
}

/** The range of a period ending now, to the minute, so one choice keeps one URL until refreshed. */
export function rangeOf(period: UsagePeriod, now = Date.now()): UsageRange {
  const until = Math.ceil(now / 60_000) * 60_000;
  const span = PERIODS.find((p) => p.value === period)?.ms ?? PERIODS[0].ms;
  return { since: new Date(until - span).toISOString(), until: new Date(until).toISOString() };
}

export function summaryPath(choice: UsageChoice, range: UsageRange): string {
  const query = new URLSearchParams({ since: range.since, until: range.until, interval: choice.interval, groupBy: choice.groupBy });
  return `api/me/usage?${query.toString()}`;
}

export function csvPath(range: UsageRange): string {
  const query = new URLSearchParams({ since: range.since, until: range.until, format: 'csv' });
  return `api/me/usage?${query.toString()}`;
}
