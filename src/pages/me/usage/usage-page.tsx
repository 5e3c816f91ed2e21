// /usage: the signed-in user's own usage (their sessions and all their keys) over a chosen period:
// totals, a chart over time, a table by model / key / account, and the raw records as CSV.
import { useMemo, useState, type ReactNode } from 'react';
import { Button } from '@mui/material';
import Refresh from '@mui/icons-material/Refresh';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../../components';
import { useApi } from '../../../hooks/use-api';
import { UsageChart } from './usage-chart';
import { UsageControls } from './usage-controls';
import { UsageGroupsTable } from './usage-groups-table';
import { UsageTotals } from './usage-totals';
import { rangeOf, summaryPath, type UsageChoice } from './usage-query';
import type { UsageSummary } from './usage-types';

export function UsagePage() {
  const [choice, setChoice] = useState<UsageChoice>({ period: '7d', interval: 'day', groupBy: 'model' });
  // Bumped by "Refresh" so the range moves up to now; otherwise one choice keeps one URL.
  const [refreshedAt, setRefreshedAt] = useState(() => Date.now());
  const range = useMemo(() => rangeOf(choice.period, refreshedAt), [choice.period, refreshedAt]);
  const usage = useApi<UsageSummary>(summaryPath(choice, range));

  const refresh = () => {
    setRefreshedAt(Date.now());
    usage.reload();
  };

  let body: ReactNode;
  if (usage.error) body = <ErrorAlert error={usage.error} title="Your usage could not be loaded" action={<Button onClick={refresh}>Retry</Button>} />;
  else if (!usage.data) body = <Loading label="Loading your usage…" />;
  else if (usage.data.totals.requests === 0)
    body = (
      <EmptyState
        title="No usage in this period"
        hint="Calls you make with your API keys or in the playground show up here within a few seconds. Try a longer period, or make a first call."
      />
    );
  else
    body = (
      <>
        <UsageTotals totals={usage.data.totals} />
        <UsageChart summary={usage.data} />
        <UsageGroupsTable groups={usage.data.groups} groupBy={choice.groupBy} />
      </>
    );

  return (
    <>
      <PageHeader
        title="My usage"
        subtitle="Requests, tokens and cost of your own calls: your API keys and the playground."
        actions={
          <Button startIcon={<Refresh />} onClick={refresh} disabled={usage.loading} data-testid="usage-refresh">
            Refresh
          </Button>
        }
      />
      <UsageControls choice={choice} range={range} onChange={setChoice} />
      {body}
    </>
  );
}
