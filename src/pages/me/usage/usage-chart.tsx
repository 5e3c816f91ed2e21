// The usage series as bars, one per hour or day of the period (the server fills empty buckets),
// for one metric at a time so the scales never mix requests with dollars.
import { useState } from 'react';
import { Paper, Stack, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import { formatCount, formatUsd } from '../parts/format';
import type { UsageSummary } from './usage-types';

type Metric = 'requests' | 'tokens' | 'cost' | 'errors';

const METRICS: Array<{ value: Metric; label: string }> = [
  { value: 'requests', label: 'Requests' },
  { value: 'tokens', label: 'Tokens' },
  { value: 'cost', label: 'Cost' },
  { value: 'errors', label: 'Errors' },
];

function bucketLabel(iso: string, interval: UsageSummary['interval']): string {
  const date = new Date(iso);
  return interval === 'hour'
    ? date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

function seriesOf(summary: UsageSummary, metric: Metric) {
  const s = summary.series;
  if (metric === 'tokens') {
    return [
      { data: s.map((b) => b.promptTokens), label: 'Tokens in', stack: 'tokens', valueFormatter: (v: number | null) => formatCount(v ?? 0) },
      { data: s.map((b) => b.completionTokens), label: 'Tokens out', stack: 'tokens', valueFormatter: (v: number | null) => formatCount(v ?? 0) },
    ];
  }
  if (metric === 'cost') return [{ data: s.map((b) => b.costUsd), label: 'Cost', valueFormatter: (v: number | null) => formatUsd(v ?? 0) }];
  if (metric === 'errors') return [{ data: s.map((b) => b.errors), label: 'Errors', color: '#d32f2f', valueFormatter: (v: number | null) => formatCount(v ?? 0) }];
  return [{ data: s.map((b) => b.requests), label: 'Requests', valueFormatter: (v: number | null) => formatCount(v ?? 0) }];
}

export function UsageChart({ summary }: { summary: UsageSummary }) {
  const [metric, setMetric] = useState<Metric>('requests');
  return (
    <Paper variant="outlined" sx={{ p: 2, mb: 3 }} data-testid="usage-chart">
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ justifyContent: 'space-between', alignItems: { sm: 'center' } }}>
        <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
          By {summary.interval}
        </Typography>
        <ToggleButtonGroup size="small" exclusive value={metric} onChange={(_e, next: Metric | null) => next && setMetric(next)} aria-label="Chart metric">
          {METRICS.map((m) => (
            <ToggleButton key={m.value} value={m.value}>
              {m.label}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </Stack>
      <BarChart
        height={280}
        xAxis={[{ scaleType: 'band', data: summary.series.map((b) => bucketLabel(b.bucket, summary.interval)) }]}
        // Counts are whole numbers: no 0.2-request ticks.
        yAxis={[{ tickMinStep: metric === 'cost' ? undefined : 1 }]}
        series={seriesOf(summary, metric)}
        margin={{ left: 8, right: 8 }}
      />
    </Paper>
  );
}
