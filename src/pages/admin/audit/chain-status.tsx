// The audit chain's integrity from GET /api/admin/audit/verify: ok with the event count, or the seq
// where it breaks and why. Verification reads the whole trail, so it runs once per visit (and on demand).
import { useEffect } from 'react';
import { Chip, CircularProgress, Tooltip } from '@mui/material';
import { useApi } from '../../../hooks/use-api';
import type { ChainVerdict } from '../parts/api-types';

export function ChainStatus({ refresh }: { refresh: number }) {
  const verdict = useApi<ChainVerdict>('api/admin/audit/verify');
  const { reload } = verdict;
  useEffect(() => {
    if (refresh) reload();
  }, [refresh, reload]);
  if (verdict.error) return <Chip color="warning" label="Chain status unavailable" title={verdict.error.message} data-testid="audit-chain-status" />;
  if (!verdict.data) return <Chip icon={<CircularProgress size={14} />} label="Verifying chain…" data-testid="audit-chain-status" />;
  const v = verdict.data;
  return v.ok ? (
    <Tooltip title={`Head hash ${v.head}`}>
      <Chip color="success" label={`Chain ok · ${v.events} events`} data-testid="audit-chain-status" data-chain="ok" />
    </Tooltip>
  ) : (
    <Tooltip title={v.reason}>
      <Chip color="error" label={`Chain broken at seq ${v.brokenAt} (${v.problem})`} data-testid="audit-chain-status" data-chain="broken" />
    </Tooltip>
  );
}
