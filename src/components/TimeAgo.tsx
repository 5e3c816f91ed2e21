// A time as "5 minutes ago" / "in 3 days", with the exact local date in the tooltip.
import { Tooltip } from '@mui/material';

export interface TimeAgoProps {
  ms?: number | null;
  iso?: string | null;
}

const UNITS: Array<{ unit: Intl.RelativeTimeFormatUnit; ms: number }> = [
  { unit: 'year', ms: 365 * 24 * 3600e3 },
  { unit: 'month', ms: 30 * 24 * 3600e3 },
  { unit: 'day', ms: 24 * 3600e3 },
  { unit: 'hour', ms: 3600e3 },
  { unit: 'minute', ms: 60e3 },
];

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatTimeAgo(time: number, now = Date.now()): string {
  const diff = time - now;
  const found = UNITS.find((u) => Math.abs(diff) >= u.ms);
  if (!found) return Math.abs(diff) < 45e3 ? 'just now' : relative.format(Math.round(diff / 60e3), 'minute');
  return relative.format(Math.round(diff / found.ms), found.unit);
}

export function TimeAgo({ ms, iso }: TimeAgoProps) {
  const time = ms ?? (iso ? Date.parse(iso) : NaN);
  if (!Number.isFinite(time)) return <span>—</span>;
  return (
    <Tooltip title={new Date(time).toLocaleString()}>
      <time dateTime={new Date(time).toISOString()}>{formatTimeAgo(time)}</time>
    </Tooltip>
  );
}
