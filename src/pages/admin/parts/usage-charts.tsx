// Requests, errors, tokens and cost over time, drawn from a usage summary's series (the server
// already fills empty buckets, so the charts need no gap filling). Shared by Overview and Usage.
import { Card, CardContent, Grid, Typography } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import { LineChart } from '@mui/x-charts/LineChart';
import type { UsageSummary } from './api-types';
import { formatBucket, formatCompact, formatUsd } from './format';

const HEIGHT = 240;
// skipAnimation: a chart that is drawn at once reads the same in a screenshot as on screen.

function ChartCard({ title, testId, children }: { title: string; testId: string; children: React.ReactNode }) {
  return (
    <Card variant="outlined" data-testid={testId}>
      <CardContent>
        <Typography variant="subtitle2" gutterBottom>
          {title}
        </Typography>
        {children}
      </CardContent>
    </Card>
  );
}

export function UsageCharts({ summary }: { summary: UsageSummary }) {
  const labels = summary.series.map((point) => formatBucket(point.bucket, summary.interval));
  const xAxis = [{ scaleType: 'point' as const, data: labels }];
  const bandAxis = [{ scaleType: 'band' as const, data: labels }];
  const yCompact = [{ valueFormatter: (value: number | null) => formatCompact(value ?? 0), width: 48 }];
  // Room on the right for the last date label, which the axis centres on the last point.
  const margin = { left: 8, right: 28 };
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 12, md: 6 }}>
        <ChartCard title="Requests and errors" testId="chart-requests">
          <LineChart
            height={HEIGHT}
            skipAnimation
            xAxis={xAxis}
            yAxis={yCompact}
            margin={margin}
            series={[
              { data: summary.series.map((p) => p.requests), label: 'Requests', showMark: false, curve: 'linear' },
              { data: summary.series.map((p) => p.errors), label: 'Errors', showMark: false, curve: 'linear', color: '#d32f2f' },
            ]}
          />
        </ChartCard>
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <ChartCard title="Tokens" testId="chart-tokens">
          <BarChart
            height={HEIGHT}
            skipAnimation
            xAxis={bandAxis}
            yAxis={yCompact}
            margin={margin}
            series={[
              { data: summary.series.map((p) => p.promptTokens), label: 'Prompt', stack: 'tokens', valueFormatter: (v) => formatCompact(v ?? 0) },
              { data: summary.series.map((p) => p.completionTokens), label: 'Completion', stack: 'tokens', valueFormatter: (v) => formatCompact(v ?? 0) },
            ]}
          />
        </ChartCard>
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <ChartCard title="Cost (USD)" testId="chart-cost">
          <LineChart
            height={HEIGHT}
            skipAnimation
            xAxis={xAxis}
            yAxis={[{ valueFormatter: (value: number | null) => formatUsd(value ?? 0), width: 72 }]}
            margin={margin}
            series={[{ data: summary.series.map((p) => p.costUsd), label: 'Cost', area: true, showMark: false, curve: 'linear', valueFormatter: (v) => formatUsd(v ?? 0) }]}
          />
        </ChartCard>
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <ChartCard title="Error rate" testId="chart-error-rate">
          <BarChart
            height={HEIGHT}
            skipAnimation
            xAxis={bandAxis}
            yAxis={[{ valueFormatter: (value: number | null) => `${Math.round((value ?? 0) * 100)}%`, max: 1, width: 48 }]}
            margin={margin}
            series={[
              {
                data: summary.series.map((p) => (p.requests ? p.errors / p.requests : 0)),
                label: 'Errors / requests',
                color: '#ed6c02',
                valueFormatter: (v) => `${((v ?? 0) * 100).toFixed(1)}%`,
              },
            ]}
          />
        </ChartCard>
      </Grid>
    </Grid>
  );
}
