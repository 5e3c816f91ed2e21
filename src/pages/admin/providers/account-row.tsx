// One provider account in the accounts table: what it is, whether it can serve calls, its models
// and recent requests; expands to its credentials. Loads its own credentials so the status chip can
// say whether they are healthy.
import { Fragment } from 'react';
import { Box, Chip, Collapse, IconButton, Stack, TableCell, TableRow, Tooltip, Typography } from '@mui/material';
import DeleteOutline from '@mui/icons-material/DeleteOutline';
import Edit from '@mui/icons-material/Edit';
import KeyboardArrowDown from '@mui/icons-material/KeyboardArrowDown';
import KeyboardArrowUp from '@mui/icons-material/KeyboardArrowUp';
import PauseCircleOutline from '@mui/icons-material/PauseCircleOutline';
import PlayCircleOutline from '@mui/icons-material/PlayCircleOutline';
import { ErrorAlert, Loading } from '../../../components';
import { useApi } from '../../../hooks/use-api';
import type { AccountView, CredentialView, ListResponse } from '../parts/api-types';
import { formatCount } from '../parts/format';
import { AccountStatusChip } from './status-chips';
import { CredentialsPanel } from './credentials-panel';

const SHOWN_MODELS = 3;
const phoneHidden = { display: { xs: 'none', md: 'table-cell' } } as const;
export const statusCell = { display: { xs: 'none', sm: 'table-cell' } } as const;

export type AccountAction = 'edit' | 'enable' | 'disable' | 'delete';

interface AccountRowProps {
  account: AccountView;
  requests: number | undefined;
  expanded: boolean;
  onToggle(): void;
  onAction(action: AccountAction, account: AccountView): void;
}

function ModelsCell({ account }: { account: AccountView }) {
  const aliases = Object.keys(account.modelAliases).length;
  if (!account.enabledModels.length) return <Typography variant="body2" color="text.secondary">none enabled</Typography>;
  return (
    <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap', rowGap: 0.5 }}>
      {account.enabledModels.slice(0, SHOWN_MODELS).map((m) => (
        <Chip key={m} size="small" label={m} variant="outlined" />
      ))}
      {account.enabledModels.length > SHOWN_MODELS && <Chip size="small" label={`+${account.enabledModels.length - SHOWN_MODELS}`} />}
      {aliases > 0 && <Chip size="small" label={`${aliases} alias${aliases === 1 ? '' : 'es'}`} color="info" variant="outlined" />}
    </Stack>
  );
}

export function AccountRow({ account, requests, expanded, onToggle, onAction }: AccountRowProps) {
  const credentials = useApi<ListResponse<CredentialView>>(`api/admin/accounts/${account.id}/credentials`);
  const act = (action: AccountAction) => () => onAction(action, account);
  return (
    <Fragment>
      <TableRow hover data-testid={`account-${account.name}`} sx={{ '& > td': { borderBottom: expanded ? 'unset' : undefined } }}>
        <TableCell padding="checkbox">
          <IconButton size="small" aria-label={`${expanded ? 'Hide' : 'Show'} credentials of ${account.name}`} onClick={onToggle} data-testid="account-expand">
            {expanded ? <KeyboardArrowUp /> : <KeyboardArrowDown />}
          </IconButton>
        </TableCell>
        <TableCell>
          <Typography sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>{account.name}</Typography>
          <Typography variant="caption" color="text.secondary">
            {account.type}
          </Typography>
          {/* On phones the status column is hidden: the chip moves under the name. */}
          <Box sx={{ display: { xs: 'block', sm: 'none' }, mt: 0.5 }}>
            <AccountStatusChip account={account} credentials={credentials.data?.data} testId="account-status-compact" />
          </Box>
        </TableCell>
        <TableCell sx={{ ...phoneHidden, maxWidth: 240, wordBreak: 'break-all' }}>
          <Typography variant="body2">{account.baseUrl ?? 'default endpoint'}</Typography>
          {account.region && <Typography variant="caption" color="text.secondary">{account.region}</Typography>}
        </TableCell>
        <TableCell sx={statusCell}>
          <AccountStatusChip account={account} credentials={credentials.data?.data} />
        </TableCell>
        <TableCell sx={phoneHidden}>
          <ModelsCell account={account} />
        </TableCell>
        <TableCell align="right" sx={phoneHidden}>
          {requests === undefined ? '—' : formatCount(requests)}
        </TableCell>
        <TableCell align="right">
          <Stack direction="row" spacing={0} sx={{ justifyContent: 'flex-end' }}>
            <Tooltip title="Edit">
              <IconButton size="small" aria-label={`Edit ${account.name}`} onClick={act('edit')} data-testid="account-edit">
                <Edit fontSize="small" />
              </IconButton>
            </Tooltip>
            <Tooltip title={account.enabled ? 'Disable' : 'Enable'}>
              <IconButton
                size="small"
                aria-label={`${account.enabled ? 'Disable' : 'Enable'} ${account.name}`}
                onClick={act(account.enabled ? 'disable' : 'enable')}
                data-testid="account-toggle"
              >
                {account.enabled ? <PauseCircleOutline fontSize="small" /> : <PlayCircleOutline fontSize="small" />}
              </IconButton>
            </Tooltip>
            <Tooltip title="Delete">
              <IconButton size="small" aria-label={`Delete ${account.name}`} onClick={act('delete')} data-testid="account-delete">
                <DeleteOutline fontSize="small" />
              </IconButton>
            </Tooltip>
          </Stack>
        </TableCell>
      </TableRow>
      <TableRow>
        <TableCell colSpan={7} sx={{ py: 0, ...(expanded ? {} : { borderBottom: 'none' }) }}>
          <Collapse in={expanded} timeout="auto" unmountOnExit>
            <Box sx={{ py: 2, px: { xs: 0, sm: 1 } }}>
              <ErrorAlert error={credentials.error} />
              {credentials.data ? (
                <CredentialsPanel account={account} credentials={credentials.data.data} onChanged={credentials.reload} />
              ) : (
                credentials.loading && <Loading label="Loading credentials…" />
              )}
            </Box>
          </Collapse>
        </TableCell>
      </TableRow>
    </Fragment>
  );
}
