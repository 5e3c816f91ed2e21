// /admin/keys: every user's API keys (and app keys with a client id), filtered by owner, name and
// status, paged; revoking asks first and takes effect on the next call. No secret is ever shown:
// the API returns only the key's recognisable prefix.
import { useEffect, useState } from 'react';
import { Alert, Box, Chip, IconButton, MenuItem, Stack, TextField, Tooltip, Typography } from '@mui/material';
import Block from '@mui/icons-material/Block';
import { api } from '../../../api';
import { ConfirmDialog, DataTable, ErrorAlert, Loading, Masked, PageHeader, TimeAgo, type DataColumn } from '../../../components';
import type { ApiKeyView } from '../parts/api-types';
import { shortenId } from '../parts/format';
import { MAX_KEYS, useAllKeys } from './use-all-keys';

type StatusFilter = 'active' | 'expired' | 'revoked' | 'all';

function statusOf(key: ApiKeyView, now: number): Exclude<StatusFilter, 'all'> {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return 'expired';
  return 'active';
}

const STATUS_COLOR = { active: 'success', expired: 'warning', revoked: 'default' } as const;

export function KeysPage() {
  const [ownerInput, setOwnerInput] = useState('');
  const [owner, setOwner] = useState('');
  const [name, setName] = useState('');
  const [status, setStatus] = useState<StatusFilter>('active');
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);
  const all = useAllKeys(owner, status !== 'active');
  const now = Date.now();

  // The owner filter goes to the server: wait for a pause in typing.
  useEffect(() => {
    const timer = setTimeout(() => setOwner(ownerInput.trim()), 400);
    return () => clearTimeout(timer);
  }, [ownerInput]);

  const needle = name.trim().toLowerCase();
  const rows = (all.keys ?? []).filter(
    (k) => (status === 'all' || statusOf(k, now) === status) && (!needle || k.name.toLowerCase().includes(needle) || k.id.toLowerCase().includes(needle)),
  );

  const columns: Array<DataColumn<ApiKeyView>> = [
    {
      key: 'name',
      label: 'Key',
      render: (k) => (
        <>
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            {k.name}
          </Typography>
          <Masked value={k.prefix} />
          {/* On phones the owner and status columns are hidden: both move here. */}
          <Box sx={{ display: { xs: 'flex', sm: 'none' }, gap: 0.5, mt: 0.5, alignItems: 'center', flexWrap: 'wrap' }}>
            <Typography variant="caption" sx={{ fontFamily: 'monospace' }}>
              {shortenId(k.ownerDid, 8)}
            </Typography>
            <Chip size="small" label={statusOf(k, now)} color={STATUS_COLOR[statusOf(k, now)]} />
          </Box>
        </>
      ),
    },
    {
      key: 'owner',
      label: 'Owner',
      hideOnPhone: true,
      render: (k) => (
        <Tooltip title={k.ownerDid}>
          <span>
            <Typography variant="body2" component="span" sx={{ fontFamily: 'monospace' }}>
              {shortenId(k.ownerDid)}
            </Typography>{' '}
            <Chip size="small" label={k.clientId ? `app ${k.clientId}` : k.ownerRole} variant="outlined" />
          </span>
        </Tooltip>
      ),
    },
    { key: 'status', label: 'Status', hideOnPhone: true, render: (k) => <Chip size="small" label={statusOf(k, now)} color={STATUS_COLOR[statusOf(k, now)]} /> },
    { key: 'scopes', label: 'Scopes', hideOnPhone: true, render: (k) => k.scopes.join(', ') },
    { key: 'models', label: 'Models', hideOnPhone: true, render: (k) => (k.models.length ? k.models.join(', ') : 'any allowed') },
    { key: 'expiresAt', label: 'Expires', hideOnPhone: true, render: (k) => (k.expiresAt ? <TimeAgo iso={k.expiresAt} /> : 'never') },
    { key: 'lastUsedAt', label: 'Last used', hideOnPhone: true, render: (k) => <TimeAgo iso={k.lastUsedAt} /> },
    {
      key: 'actions',
      label: '',
      align: 'right',
      render: (k) =>
        k.revokedAt ? null : (
          <Tooltip title="Revoke">
            <IconButton size="small" aria-label={`Revoke ${k.name}`} onClick={() => setRevoking(k)} data-testid="key-revoke">
              <Block fontSize="small" />
            </IconButton>
          </Tooltip>
        ),
    },
  ];

  return (
    <>
      <PageHeader title="API keys" subtitle="Keys of every user and app. Revoke a key here; owners create and rotate their own." />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ mb: 2 }}>
        <TextField size="small" label="Owner DID" value={ownerInput} onChange={(e) => setOwnerInput(e.target.value)} sx={{ flex: 2 }}
          slotProps={{ htmlInput: { 'data-testid': 'keys-filter-owner' } }} />
        <TextField size="small" label="Name or id" value={name} onChange={(e) => setName(e.target.value)} sx={{ flex: 2 }}
          slotProps={{ htmlInput: { 'data-testid': 'keys-filter-name' } }} />
        <TextField select size="small" label="Status" value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)} sx={{ flex: 1, minWidth: 140 }}
          slotProps={{ htmlInput: { 'data-testid': 'keys-filter-status' } }}>
          <MenuItem value="active">Active</MenuItem>
          <MenuItem value="expired">Expired</MenuItem>
          <MenuItem value="revoked">Revoked</MenuItem>
          <MenuItem value="all">All</MenuItem>
        </TextField>
      </Stack>
      <ErrorAlert error={all.error} />
      {all.total > MAX_KEYS && <Alert severity="info" sx={{ mb: 2 }}>Showing the newest {MAX_KEYS} of {all.total} keys: filter by owner to see the rest.</Alert>}
      {!all.keys && all.loading ? (
        <Loading label="Loading keys…" />
      ) : (
        <DataTable
          columns={columns}
          rows={rows}
          rowKey="id"
          emptyText={all.keys?.length ? 'No key matches these filters.' : 'No API keys yet. Users create theirs under My API keys.'}
          label="API keys"
          data-testid="keys-table"
        />
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke ${revoking?.name ?? 'key'}?`}
        body="Calls with this key fail from now on, including a rotated key’s grace secret. This cannot be undone."
        confirmLabel="Revoke"
        destructive
        onConfirm={async () => {
          if (revoking) await api.del(`api/admin/keys/${revoking.id}`);
          all.reload();
        }}
        onClose={() => setRevoking(null)}
      />
    </>
  );
}
