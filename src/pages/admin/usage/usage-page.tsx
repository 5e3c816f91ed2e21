// /admin/usage: everyone's usage over a period, by hour or day, grouped by model, user, key or
// account, with the raw records as a CSV download (GET /api/admin/usage?format=csv).
import { useState } from 'react';
import { Button, MenuItem, Stack, TextField, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import Download from '@mui/icons-material/Download';
import Refresh from '@mui/icons-material/Refresh';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../../components';
import { api } from '../../../api';
import { useApi } from '../../../hooks/use-api';
import { USAGE_GROUPS, type UsageGroupBy, type UsageInterval, type UsageSummary } from '../parts/api-types';
import { PERIODS, PeriodPicker, usageQueryString, useWindowStart, type PeriodId } from '../parts/usage-period';
import { UsageCharts } from '../parts/usage-charts';
import { UsageTotals } from '../parts/usage-totals';
import { UsageGroupsTable } from '../parts/usage-groups-table';

const GROUP_NAMES: Record<UsageGroupBy, string> = { model: 'Model', user: 'User', key: 'API key', account: 'Account' };

export function UsagePage() {
  const [period, setPeriod] = useState<PeriodId>('30d');
  const [interval, setBucket] = useState<UsageInterval>(PERIODS['30d'].interval);
  const [groupBy, setGroupBy] = useState<UsageGroupBy>('model');
  const [refresh, setRefresh] = useState(0);
  const since = useWindowStart(period, refresh);
  const usage = useApi<UsageSummary>(`api/admin/usage?${usageQueryString(since, { interval, groupBy, limit: 1000 })}`);
  const csvHref = api.url(`api/admin/usage?${usageQueryString(since, { interval, format: 'csv' })}`);

  const choosePeriod = (next: PeriodId) => {
    setPeriod(next);
    setBucket(PERIODS[next].interval);
  };

  return (
    <>
      <PageHeader
        title="Usage"
        subtitle="Requests, tokens, cost and errors of every caller. The CSV holds one line per call in the period."
        actions={
          <>
            <Button startIcon={<Refresh />} onClick={() => setRefresh((n) => n + 1)} data-testid="usage-refresh">
              Refresh
            </Button>
            <Button startIcon={<Download />} variant="outlined" href={csvHref} download data-testid="usage-csv-link">
              Export CSV
            </Button>
          </>
        }
      />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ mb: 3, alignItems: { sm: 'center' } }}>
        <PeriodPicker value={period} onChange={choosePeriod} />
        <ToggleButtonGroup
          size="small"
          exclusive
          value={interval}
          onChange={(_e, next: UsageInterval | null) => next && setBucket(next)}
          aria-label="Bucket"
          data-testid="interval-picker"
        >
          <ToggleButton value="hour">By hour</ToggleButton>
          <ToggleButton value="day">By day</ToggleButton>
        </ToggleButtonGroup>
        <TextField
          select
          size="small"
          label="Group by"
          value={groupBy}
          onChange={(e) => setGroupBy(e.target.value as UsageGroupBy)}
          sx={{ minWidth: 160 }}
          slotProps={{ htmlInput: { 'data-testid': 'group-by' } }}
        >
          {USAGE_GROUPS.map((g) => (
            <MenuItem key={g} value={g}>
              {GROUP_NAMES[g]}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      <ErrorAlert error={usage.error} />
      {!usage.data && usage.loading && <Loading label="Loading usage…" />}
      {usage.data && usage.data.totals.requests === 0 && (
        <EmptyState title="No calls in this period" hint="Pick a longer period, or come back once someone has called a model." />
      )}
      {usage.data && usage.data.totals.requests > 0 && (
        <Stack spacing={3} data-testid="usage-report">
          <UsageTotals totals={usage.data.totals} />
          <UsageCharts summary={usage.data} />
          <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
            By {GROUP_NAMES[groupBy].toLowerCase()}
          </Typography>
          <UsageGroupsTable groups={usage.data.groups} by={groupBy} testId="usage-groups" />
        </Stack>
      )}
    </>
  );
}
