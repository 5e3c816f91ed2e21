// The four headline figures of a usage window: requests, tokens, cost, errors.
import { Card, CardContent, Grid, Typography } from '@mui/material';
import type { UsageFigures } from './api-types';
import { formatCount, formatUsd } from './format';

function Figure({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId: string }) {
  return (
    <Card variant="outlined" data-testid={testId} sx={{ height: '100%' }}>
      <CardContent>
        <Typography variant="overline" color="text.secondary">
          {label}
        </Typography>
        <Typography variant="h5">{value}</Typography>
        {hint && (
          <Typography variant="caption" color="text.secondary">
            {hint}
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}

export function UsageTotals({ totals }: { totals: UsageFigures }) {
  const tokens = totals.promptTokens + totals.completionTokens;
  const errorRate = totals.requests ? `${((totals.errors / totals.requests) * 100).toFixed(1)}% of requests` : undefined;
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 6, md: 3 }}>
        <Figure label="Requests" value={formatCount(totals.requests)} testId="total-requests" />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <Figure
          label="Tokens"
          value={formatCount(tokens)}
          hint={`${formatCount(totals.promptTokens)} in / ${formatCount(totals.completionTokens)} out`}
          testId="total-tokens"
        />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <Figure label="Cost" value={formatUsd(totals.costUsd)} testId="total-cost" />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <Figure label="Errors" value={formatCount(totals.errors)} hint={errorRate} testId="total-errors" />
      </Grid>
    </Grid>
  );
}
