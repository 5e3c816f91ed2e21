// /admin/providers: provider accounts with their status, models and last 30 days of requests; each
// expands to its credentials. Adds and edits accounts; enable, disable and delete ask first.
import { useMemo, useState } from 'react';
import { Button, Paper, Table, TableBody, TableCell, TableContainer, TableHead, TablePagination, TableRow } from '@mui/material';
import Add from '@mui/icons-material/Add';
import { api } from '../../../api';
import { ConfirmDialog, EmptyState, ErrorAlert, Loading, PageHeader } from '../../../components';
import { useApi } from '../../../hooks/use-api';
import type { AccountView, ListResponse, UsageSummary } from '../parts/api-types';
import { usageQueryString } from '../parts/usage-period';
import { AccountDialog } from './account-dialog';
import { AccountRow, statusCell, type AccountAction } from './account-row';

const PAGE_SIZE = 25;
const USAGE_DAYS = 30;
const phoneHidden = { display: { xs: 'none', md: 'table-cell' } } as const;

type Pending = { action: Exclude<AccountAction, 'edit'>; account: AccountView };

const CONFIRM: Record<Pending['action'], { title: (n: string) => string; body: string; label: string }> = {
  delete: { title: (n) => `Delete account ${n}?`, body: 'Its credentials are erased too, and its models stop working at once. This cannot be undone.', label: 'Delete' },
  disable: { title: (n) => `Disable account ${n}?`, body: 'Calls to its models fail until you enable it again. Its credentials are kept.', label: 'Disable' },
  enable: { title: (n) => `Enable account ${n}?`, body: 'Its models become callable again, within the access rules.', label: 'Enable' },
};

export function ProvidersPage() {
  const accounts = useApi<ListResponse<AccountView>>('api/admin/accounts');
  const usageSince = useMemo(() => new Date(Date.now() - USAGE_DAYS * 86_400_000), []);
  const usage = useApi<UsageSummary>(`api/admin/usage?${usageQueryString(usageSince, { interval: 'day', groupBy: 'account', limit: 1000 })}`);
  const [editing, setEditing] = useState<AccountView | null | 'new'>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [page, setPage] = useState(0);

  const requestsOf = (id: string) => (usage.data ? (usage.data.groups.find((g) => g.key === id)?.requests ?? 0) : undefined);
  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  const onAction = (action: AccountAction, account: AccountView) => (action === 'edit' ? setEditing(account) : setPending({ action, account }));
  const confirm = async () => {
    if (!pending) return;
    const path = `api/admin/accounts/${pending.account.id}`;
    if (pending.action === 'delete') await api.del(path);
    else await api.patch(path, { enabled: pending.action === 'enable' });
    accounts.reload();
  };
  const onSaved = (saved: AccountView) => {
    // A new account opens on its credentials: it cannot serve calls without one.
    if (editing === 'new') setExpanded((current) => new Set(current).add(saved.id));
    setEditing(null);
    accounts.reload();
  };

  const rows = accounts.data?.data ?? [];
  const shown = rows.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  return (
    <>
      <PageHeader
        title="Providers"
        subtitle="Upstream accounts and their credentials. Secrets are stored encrypted and only ever shown masked."
        actions={
          <Button variant="contained" startIcon={<Add />} onClick={() => setEditing('new')} data-testid="account-add">
            Add account
          </Button>
        }
      />
      <ErrorAlert error={accounts.error} />
      {!accounts.data && accounts.loading && <Loading label="Loading accounts…" />}
      {accounts.data && rows.length === 0 && (
        <EmptyState
          title="No provider accounts yet"
          hint="Add an account (OpenAI, Anthropic, Azure OpenAI, Gemini, Bedrock, Ollama or any OpenAI-compatible server), then a credential for it."
          action={
            <Button variant="outlined" startIcon={<Add />} onClick={() => setEditing('new')}>
              Add account
            </Button>
          }
        />
      )}
      {rows.length > 0 && (
        <Paper variant="outlined">
          <TableContainer sx={{ overflowX: 'auto' }}>
            <Table size="small" aria-label="Provider accounts" data-testid="accounts-table">
              <TableHead>
                <TableRow>
                  <TableCell padding="checkbox" />
                  <TableCell sx={{ fontWeight: 600 }}>Account</TableCell>
                  <TableCell sx={{ fontWeight: 600, ...phoneHidden }}>Endpoint</TableCell>
                  <TableCell sx={{ fontWeight: 600, ...statusCell }}>Status</TableCell>
                  <TableCell sx={{ fontWeight: 600, ...phoneHidden }}>Models</TableCell>
                  <TableCell sx={{ fontWeight: 600, ...phoneHidden }} align="right">
                    Requests ({USAGE_DAYS} d)
                  </TableCell>
                  <TableCell sx={{ fontWeight: 600 }} align="right">
                    Actions
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {shown.map((account) => (
                  <AccountRow
                    key={account.id}
                    account={account}
                    requests={requestsOf(account.id)}
                    expanded={expanded.has(account.id)}
                    onToggle={() => toggle(account.id)}
                    onAction={onAction}
                  />
                ))}
              </TableBody>
            </Table>
          </TableContainer>
          {rows.length > PAGE_SIZE && (
            <TablePagination
              component="div"
              count={rows.length}
              page={page}
              onPageChange={(_e, next: number) => setPage(next)}
              rowsPerPage={PAGE_SIZE}
              rowsPerPageOptions={[PAGE_SIZE]}
            />
          )}
        </Paper>
      )}
      <AccountDialog open={editing !== null} account={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={onSaved} />
      <ConfirmDialog
        open={pending !== null}
        title={pending ? CONFIRM[pending.action].title(pending.account.name) : ''}
        body={pending ? CONFIRM[pending.action].body : ''}
        confirmLabel={pending ? CONFIRM[pending.action].label : ''}
        destructive={pending?.action !== 'enable'}
        onConfirm={confirm}
        onClose={() => setPending(null)}
      />
    </>
  );
}
