// The rules in decision order (priority, then file position, as GET /api/admin/rules returns them):
// which models, for whom, allow or deny. Deleting one asks first.
import { useState } from 'react';
import { Chip, IconButton, Stack, Tooltip, Typography } from '@mui/material';
import DeleteOutline from '@mui/icons-material/DeleteOutline';
import { api } from '../../../api';
import { ConfirmDialog, DataTable, EmptyState, ErrorAlert, Loading, type DataColumn } from '../../../components';
import { useApi } from '../../../hooks/use-api';
import type { ListResponse, RuleView } from '../parts/api-types';
import { shortenId } from '../parts/format';

function subjectsOf(rule: RuleView): string[] {
  return [
    ...rule.roles.map((r) => `role ${r}`),
    ...rule.users.map((u) => `user ${shortenId(u)}`),
    ...rule.keys.map((k) => `key ${k}`),
    ...rule.components.map((c) => `component ${shortenId(c)}`),
  ];
}

function ChipList({ items, mono }: { items: string[]; mono?: boolean }) {
  return (
    <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap', rowGap: 0.5 }}>
      {items.map((item) => (
        <Chip key={item} size="small" label={item} variant="outlined" sx={mono ? { fontFamily: 'monospace' } : undefined} />
      ))}
    </Stack>
  );
}

/** "60 rpm, 100000 tpm per user" — what a rule's limits say, in a table cell. */
function describeLimits(limits: RuleView['limits']): string {
  if (!limits) return '—';
  const parts = [limits.rpm && `${limits.rpm} rpm`, limits.tpm && `${limits.tpm} tpm`, limits.concurrency && `${limits.concurrency} in flight`].filter(Boolean);
  const per = limits.per ?? ['user'];
  return `${parts.join(', ')} ${per.length ? `per ${per.join(' + ')}` : 'in total'}`;
}

export function RulesTable() {
  const rules = useApi<ListResponse<RuleView>>('api/admin/rules');
  const [deleting, setDeleting] = useState<RuleView | null>(null);

  const columns: Array<DataColumn<RuleView>> = [
    {
      key: 'name',
      label: 'Rule',
      render: (r) => (
        <>
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            {r.name ?? 'unnamed'}
          </Typography>
          <Typography variant="caption" color="text.secondary">
            priority {r.priority}
            {r.enabled ? '' : ' · disabled'}
          </Typography>
        </>
      ),
    },
    { key: 'effect', label: 'Effect', render: (r) => <Chip size="small" label={r.effect} color={r.effect === 'allow' ? 'success' : 'error'} /> },
    { key: 'models', label: 'Models', render: (r) => <ChipList items={r.models} mono /> },
    {
      key: 'subjects',
      label: 'Applies to',
      hideOnPhone: true,
      render: (r) => {
        const subjects = subjectsOf(r);
        return subjects.length ? <ChipList items={subjects} /> : <Typography variant="body2">everyone signed in</Typography>;
      },
    },
    { key: 'limits', label: 'Limits', hideOnPhone: true, render: (r) => <Typography variant="body2">{describeLimits(r.limits)}</Typography> },
    {
      key: 'actions',
      label: '',
      align: 'right',
      render: (r) => (
        <Tooltip title="Delete rule">
          <IconButton size="small" aria-label={`Delete rule ${r.name ?? r.id}`} onClick={() => setDeleting(r)} data-testid="rule-delete">
            <DeleteOutline fontSize="small" />
          </IconButton>
        </Tooltip>
      ),
    },
  ];

  if (rules.error) return <ErrorAlert error={rules.error} />;
  if (!rules.data) return <Loading label="Loading rules…" />;
  return (
    <>
      {rules.data.data.length === 0 ? (
        <EmptyState
          title="No access rules"
          hint="Without rules the default policy (Settings) decides for every model. Write rules in the YAML tab."
        />
      ) : (
        <DataTable columns={columns} rows={rules.data.data} rowKey="id" label="Access rules" data-testid="rules-table" />
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={deleting?.name ? `Delete rule ${deleting.name}?` : 'Delete this rule?'}
        body="Calls it decided fall to the next matching rule, or to the default policy. This applies to the next call."
        confirmLabel="Delete"
        destructive
        onConfirm={async () => {
          if (deleting) await api.del(`api/admin/rules/${deleting.id}`);
          rules.reload();
        }}
        onClose={() => setDeleting(null)}
      />
    </>
  );
}
