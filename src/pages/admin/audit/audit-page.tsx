// /admin/audit: the audit trail, newest first, filtered and paged on the server; a row opens the
// full event. Export downloads the filtered events as JSONL or CSV; the chip shows whether the hash
// chain is intact.
import { useState } from 'react';
import { Button, Stack, TablePagination, Tooltip, Typography } from '@mui/material';
import Download from '@mui/icons-material/Download';
import Refresh from '@mui/icons-material/Refresh';
import { api } from '../../../api';
import { DataTable, ErrorAlert, Loading, PageHeader, TimeAgo, type DataColumn } from '../../../components';
import { useApi } from '../../../hooks/use-api';
import type { AuditEventView, PagedResponse } from '../parts/api-types';
import { shortenId } from '../parts/format';
import { AuditFilters, NO_FILTER, auditQuery, type AuditFilter } from './audit-filters';
import { AuditDetailDrawer } from './audit-detail-drawer';
import { ChainStatus } from './chain-status';

const columns: Array<DataColumn<AuditEventView>> = [
  { key: 'seq', label: 'Seq', align: 'right', width: 64 },
  { key: 'time', label: 'Time', render: (e) => <TimeAgo iso={e.time} /> },
  {
    key: 'action',
    label: 'Action',
    render: (e) => (
      <Typography variant="body2" sx={{ fontFamily: 'monospace' }} data-testid="audit-action">
        {e.action}
      </Typography>
    ),
  },
  {
    key: 'actor',
    label: 'Actor',
    render: (e) => (
      <Tooltip title={`${e.actor.did} (${e.actor.method})`}>
        <span>
          {shortenId(e.actor.did)} · {e.actor.role}
        </span>
      </Tooltip>
    ),
  },
  { key: 'target', label: 'Target', hideOnPhone: true, render: (e) => `${e.target.type}${e.target.id ? ` ${shortenId(e.target.id)}` : ''}` },
  { key: 'ip', label: 'IP', hideOnPhone: true },
];

export function AuditPage() {
  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  const [page, setPage] = useState(0);
  const [perPage, setPerPage] = useState(50);
  const [refresh, setRefresh] = useState(0);
  const [open, setOpen] = useState<AuditEventView | null>(null);
  const query = auditQuery(filter);
  const listQuery = new URLSearchParams(query);
  listQuery.set('limit', String(perPage));
  listQuery.set('offset', String(page * perPage));
  const events = useApi<PagedResponse<AuditEventView>>(`api/admin/audit?${listQuery}`);
  const exportHref = (format: 'jsonl' | 'csv') => {
    const params = new URLSearchParams(query);
    params.set('format', format);
    return api.url(`api/admin/audit/export?${params}`);
  };

  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Every admin change, credential event and refused sign-in, chained by hash so an edit or a gap shows."
        actions={
          <>
            <ChainStatus refresh={refresh} />
            <Button
              startIcon={<Refresh />}
              onClick={() => {
                setRefresh((n) => n + 1);
                events.reload();
              }}
            >
              Refresh
            </Button>
            <Button startIcon={<Download />} href={exportHref('jsonl')} download data-testid="audit-export-jsonl">
              JSONL
            </Button>
            <Button startIcon={<Download />} href={exportHref('csv')} download data-testid="audit-export-csv">
              CSV
            </Button>
          </>
        }
      />
      <AuditFilters
        applied={filter}
        onApply={(next) => {
          setFilter(next);
          setPage(0);
        }}
      />
      <ErrorAlert error={events.error} />
      {!events.data && events.loading ? (
        <Loading label="Loading audit events…" />
      ) : (
        <Stack>
          {/* Keyed by page size: the table's own pager must never split a server page. */}
          <DataTable
            key={perPage}
            columns={columns}
            rows={events.data?.data ?? []}
            rowKey="seq"
            pageSize={perPage}
            onRowClick={setOpen}
            emptyText="No events match these filters."
            label="Audit events"
            data-testid="audit-table"
          />
          {(events.data?.total ?? 0) > 0 && (
            <TablePagination
              component="div"
              count={events.data?.total ?? 0}
              page={page}
              onPageChange={(_e, next: number) => setPage(next)}
              rowsPerPage={perPage}
              rowsPerPageOptions={[25, 50, 100, 250]}
              onRowsPerPageChange={(e) => {
                setPerPage(Number(e.target.value));
                setPage(0);
              }}
            />
          )}
        </Stack>
      )}
      <AuditDetailDrawer event={open} onClose={() => setOpen(null)} />
    </>
  );
}
