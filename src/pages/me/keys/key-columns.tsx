// The columns of the "My API keys" table. Everything shown comes from the key view: the prefix
// identifies a key, it never authenticates.
import { Box, Chip, IconButton, Stack, Tooltip, Typography } from '@mui/material';
import Autorenew from '@mui/icons-material/Autorenew';
import Block from '@mui/icons-material/Block';
import { visuallyHidden } from '@mui/utils';
import { Masked, TimeAgo, type DataColumn } from '../../../components';
import { formatCount, formatDate, formatUsd } from '../parts/format';
import { statusOf, type ApiKeyView, type KeyStatus } from './key-types';

const STATUS_COLOR: Record<KeyStatus, 'success' | 'default' | 'warning'> = { active: 'success', revoked: 'default', expired: 'warning' };

function describeLimits(key: ApiKeyView): string {
  const parts: string[] = [];
  if (key.rpm !== null) parts.push(`${formatCount(key.rpm)} req/min`);
  if (key.tpm !== null) parts.push(`${formatCount(key.tpm)} tok/min`);
  if (key.budget) {
    const amount = [key.budget.usd !== undefined ? formatUsd(key.budget.usd) : null, key.budget.tokens !== undefined ? `${formatCount(key.budget.tokens)} tokens` : null]
      .filter(Boolean)
      .join(' + ');
    parts.push(`${amount} ${key.budget.period === 'total' ? 'in total' : `per ${key.budget.period}`}`);
  }
  return parts.length ? parts.join(', ') : 'none';
}

function ModelsCell({ models }: { models: string[] }) {
  if (models.length === 0) return <Typography variant="body2" color="text.secondary">all allowed</Typography>;
  const shown = models.slice(0, 2).join(', ');
  return (
    <Tooltip title={models.join(', ')}>
      <Typography variant="body2" sx={{ maxWidth: 220, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
        {models.length > 2 ? `${shown} +${models.length - 2}` : shown}
      </Typography>
    </Tooltip>
  );
}

// Icon buttons keep the column narrow enough for a phone; the labels are in aria-label and tooltip.
function KeyActions({ keyView: k, onRotate, onRevoke }: { keyView: ApiKeyView } & KeyActionHandlers) {
  const status = statusOf(k);
  if (status === 'revoked') return null;
  return (
    <Stack direction="row" spacing={0.5} sx={{ justifyContent: 'flex-end' }}>
      {status === 'active' && (
        <Tooltip title="Rotate: new secret">
          <IconButton size="small" onClick={() => onRotate(k)} aria-label={`Rotate ${k.name}`} data-testid={`rotate-key-${k.id}`}>
            <Autorenew fontSize="small" />
          </IconButton>
        </Tooltip>
      )}
      <Tooltip title="Revoke">
        <IconButton size="small" color="error" onClick={() => onRevoke(k)} aria-label={`Revoke ${k.name}`} data-testid={`revoke-key-${k.id}`}>
          <Block fontSize="small" />
        </IconButton>
      </Tooltip>
    </Stack>
  );
}

interface KeyActionHandlers {
  onRotate(key: ApiKeyView): void;
  onRevoke(key: ApiKeyView): void;
}

export function keyColumns(actions: KeyActionHandlers): Array<DataColumn<ApiKeyView>> {
  return [
    {
      key: 'name',
      label: 'Name',
      render: (k) => (
        <Typography variant="body2" noWrap title={k.name} sx={{ fontWeight: 500, maxWidth: { xs: 110, sm: 220 } }}>
          {k.name}
        </Typography>
      ),
    },
    { key: 'prefix', label: 'Key', render: (k) => <Masked value={k.prefix} />, hideOnPhone: true },
    {
      key: 'status',
      label: 'Status',
      render: (k) => {
        const status = statusOf(k);
        return <Chip size="small" label={status} color={STATUS_COLOR[status]} data-testid={`key-status-${k.id}`} />;
      },
    },
    { key: 'scopes', label: 'Scopes', render: (k) => k.scopes.join(', '), hideOnPhone: true },
    { key: 'models', label: 'Models', render: (k) => <ModelsCell models={k.models} />, hideOnPhone: true },
    { key: 'limits', label: 'Limits', render: describeLimits, hideOnPhone: true },
    { key: 'expiresAt', label: 'Expires', render: (k) => (k.expiresAt ? formatDate(k.expiresAt) : 'never') },
    { key: 'createdAt', label: 'Created', render: (k) => <TimeAgo iso={k.createdAt} />, hideOnPhone: true },
    { key: 'lastUsedAt', label: 'Last used', render: (k) => (k.lastUsedAt ? <TimeAgo iso={k.lastUsedAt} /> : 'never'), hideOnPhone: true },
    {
      key: 'actions',
      label: <Box component="span" sx={visuallyHidden}>Actions</Box>,
      align: 'right',
      render: (k) => <KeyActions keyView={k} {...actions} />,
    },
  ];
}
