// How figures read on admin pages: counts with separators, dollars with enough digits for small
// per-call costs, and compact tick labels for charts. Display only.

const count = new Intl.NumberFormat('en-US');
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export function formatCount(value: number): string {
  return count.format(value);
}

export function formatCompact(value: number): string {
  return compact.format(value);
}

/** Cents for big sums; small sums keep four significant digits so $0.0004 does not read as $0.00. */
export function formatUsd(value: number): string {
  if (value === 0) return '$0';
  if (Math.abs(value) >= 1) return `$${value.toFixed(2)}`;
  return `$${Number(value.toPrecision(4))}`;
}

/** A bucket start as the chart axis shows it: hours for hourly series, dates for daily ones. */
export function formatBucket(iso: string | Date, interval: 'hour' | 'day'): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  return interval === 'hour'
    ? date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/** A short form of a DID or id for tables; the full value stays in the title tooltip. */
export function shortenId(value: string, keep = 10): string {
  return value.length > keep * 2 + 1 ? `${value.slice(0, keep)}…${value.slice(-6)}` : value;
}
