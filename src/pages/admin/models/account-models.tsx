// Which models each account serves, as callers name them (`account/model`), and the aliases that
// map a public name onto an upstream model. Read-only here: the account dialog edits them.
import { Button, Chip, Stack, Typography } from '@mui/material';
import { Link as RouterLink } from 'react-router-dom';
import { DataTable, EmptyState, ErrorAlert, Loading, type DataColumn } from '../../../components';
import { useApi } from '../../../hooks/use-api';
import type { AccountView, ListResponse } from '../parts/api-types';

interface ModelRow {
  id: string;
  account: AccountView;
  /** What a caller writes: account/model. */
  name: string;
  /** The upstream's own name when this is an alias. */
  upstream: string | null;
}

function toRows(accounts: AccountView[]): ModelRow[] {
  return accounts.flatMap((account) => [
    ...account.enabledModels.map((model) => ({ id: `${account.id}:m:${model}`, account, name: `${account.name}/${model}`, upstream: null })),
    ...Object.entries(account.modelAliases).map(([alias, model]) => ({ id: `${account.id}:a:${alias}`, account, name: `${account.name}/${alias}`, upstream: model })),
  ]);
}

const columns: Array<DataColumn<ModelRow>> = [
  {
    key: 'name',
    label: 'Model (as callers name it)',
    render: (row) => (
      <Typography variant="body2" sx={{ fontFamily: 'monospace' }}>
        {row.name === `${row.account.name}/*` ? `${row.account.name}/* (any model the upstream has)` : row.name}
      </Typography>
    ),
  },
  { key: 'upstream', label: 'Upstream model', render: (row) => row.upstream ?? 'same name' },
  { key: 'type', label: 'Provider', hideOnPhone: true, render: (row) => row.account.type },
  {
    key: 'state',
    label: 'Account',
    render: (row) => <Chip size="small" label={row.account.enabled ? 'enabled' : 'disabled'} color={row.account.enabled ? 'success' : 'default'} variant="outlined" />,
  },
];

export function AccountModels() {
  const accounts = useApi<ListResponse<AccountView>>('api/admin/accounts');
  if (accounts.error) return <ErrorAlert error={accounts.error} />;
  if (!accounts.data) return <Loading label="Loading models…" />;
  const rows = toRows(accounts.data.data);
  if (!rows.length) {
    return (
      <EmptyState
        title="No models enabled"
        hint="Models come from provider accounts: list the models an account may serve in its settings."
        action={
          <Button component={RouterLink} to="/admin/providers" variant="outlined">
            Go to providers
          </Button>
        }
      />
    );
  }
  return (
    <Stack spacing={1}>
      <Typography variant="body2" color="text.secondary">
        Callers use these names in the model field; access rules match them too.
      </Typography>
      <DataTable columns={columns} rows={rows} rowKey="id" label="Enabled models" data-testid="models-table" />
    </Stack>
  );
}
