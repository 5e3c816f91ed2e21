// /admin: the gateway at a glance over a chosen period: totals, requests / tokens / cost / errors
// over time, and the busiest models and users. Reads GET /api/admin/usage only.
import { useState } from 'react';
import { Button, Grid, Stack, Typography } from '@mui/material';
import Refresh from '@mui/icons-material/Refresh';
import { Link as RouterLink } from 'react-router-dom';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../../components';
import { useApi } from '../../../hooks/use-api';
import type { UsageSummary } from '../parts/api-types';
import { PERIODS, PeriodPicker, usageQueryString, useWindowStart, type PeriodId } from '../parts/usage-period';
import { UsageCharts } from '../parts/usage-charts';
import { UsageTotals } from '../parts/usage-totals';
import { UsageGroupsTable } from '../parts/usage-groups-table';

const TOP = 5;

function TopList({ title, summary, by }: { title: string; summary: UsageSummary | undefined; by: 'model' | 'user' }) {
  return (
    <Stack spacing={1}>
      <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
        {title}
      </Typography>
      {summary ? <UsageGroupsTable groups={summary.groups} by={by} pageSize={TOP} compact testId={`top-${by}s`} /> : <Loading />}
    </Stack>
  );
}

export function OverviewPage() {
  const [period, setPeriod] = useState<PeriodId>('7d');
  const [refresh, setRefresh] = useState(0);
  const since = useWindowStart(period, refresh);
  const interval = PERIODS[period].interval;
  const byModel = useApi<UsageSummary>(`api/admin/usage?${usageQueryString(since, { interval, groupBy: 'model', limit: TOP })}`);
  const byUser = useApi<UsageSummary>(`api/admin/usage?${usageQueryString(since, { interval, groupBy: 'user', limit: TOP })}`);
  const summary = byModel.data;

  return (
    <>
      <PageHeader
        title="Overview"
        subtitle={`Calls through Keyhold in the last ${PERIODS[period].label}.`}
        actions={
          <>
            <PeriodPicker value={period} onChange={setPeriod} />
            <Button startIcon={<Refresh />} onClick={() => setRefresh((n) => n + 1)} data-testid="overview-refresh">
              Refresh
            </Button>
          </>
        }
      />
      <ErrorAlert error={byModel.error ?? byUser.error} />
      {!summary && byModel.loading && <Loading label="Loading usage…" />}
      {summary && summary.totals.requests === 0 && (
        <EmptyState
          title="No calls in this period"
          hint="Once someone calls a model with a Keyhold API key or from the playground, requests, tokens, cost and errors show here."
          action={
            <Button component={RouterLink} to="/admin/providers" variant="outlined">
              Set up a provider
            </Button>
          }
        />
      )}
      {summary && summary.totals.requests > 0 && (
        <Stack spacing={3} data-testid="overview-usage">
          <UsageTotals totals={summary.totals} />
          <UsageCharts summary={summary} />
          <Grid container spacing={2}>
            <Grid size={{ xs: 12, md: 6 }}>
              <TopList title="Top models" summary={summary} by="model" />
            </Grid>
            <Grid size={{ xs: 12, md: 6 }}>
              <TopList title="Top users" summary={byUser.data} by="user" />
            </Grid>
          </Grid>
        </Stack>
      )}
    </>
  );
}
