// One credential as a card (readable at phone width, where a wide table is not): name, status and
// weight; masked secrets exactly as the API returns them; last error, last use and last test; and
// its actions. Nothing here can show a secret: the page never receives one.
import { Box, Card, CardContent, Chip, IconButton, Stack, Tooltip, Typography } from '@mui/material';
import DeleteOutline from '@mui/icons-material/DeleteOutline';
import Key from '@mui/icons-material/Key';
import PauseCircleOutline from '@mui/icons-material/PauseCircleOutline';
import PlayCircleOutline from '@mui/icons-material/PlayCircleOutline';
import { Masked, TimeAgo } from '../../../components';
import type { CredentialView } from '../parts/api-types';
import { CredentialStatusChip } from './status-chips';
import { TestConnectionButton, type TestOutcome } from './test-connection';

const FIELD_LABEL: Record<string, string> = { api_key: 'API key', access_key_id: 'Key ID', secret_access_key: 'Secret', session_token: 'Session token' };

function Line({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <Typography variant="body2" component="div" data-testid={testId} sx={{ display: 'flex', gap: 1, alignItems: 'baseline', minWidth: 0 }}>
      <Box component="span" sx={{ color: 'text.secondary', flexShrink: 0, minWidth: 72 }}>
        {label}
      </Box>
      <Box component="span" sx={{ minWidth: 0, wordBreak: 'break-all', '& > span': { whiteSpace: 'normal' } }}>
        {children}
      </Box>
    </Typography>
  );
}

export type CredentialAction = 'rotate' | 'enable' | 'disable' | 'delete';

interface CredentialCardProps {
  credential: CredentialView;
  onAction(action: CredentialAction, credential: CredentialView): void;
  onTested(outcome: TestOutcome): void;
}

export function CredentialCard({ credential: c, onAction, onTested }: CredentialCardProps) {
  return (
    <Card variant="outlined" data-testid={`credential-${c.name}`}>
      <CardContent sx={{ '&:last-child': { pb: 2 } }}>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1, mb: 1 }}>
          <Typography sx={{ fontWeight: 600 }}>{c.name}</Typography>
          <CredentialStatusChip credential={c} />
          <Chip size="small" variant="outlined" label={`weight ${c.weight}`} />
          {c.keyVersion !== null && <Chip size="small" variant="outlined" label={`key v${c.keyVersion}`} />}
        </Stack>
        <Stack spacing={0.5}>
          {Object.entries(c.publicFields).map(([field, value]) => (
            <Line key={field} label={FIELD_LABEL[field] ?? field}>
              <Masked value={value} />
            </Line>
          ))}
          {Object.entries(c.secrets).map(([field, secret]) => (
            <Line key={field} label={FIELD_LABEL[field] ?? field} testId="credential-masked">
              {secret.masked === null ? <em>cannot be read now</em> : <Masked value={secret.masked} />}
              {secret.ref && <Box component="span" sx={{ color: 'text.secondary', ml: 1 }}>from {secret.ref}</Box>}
            </Line>
          ))}
          {c.lastError && (
            <Line label="Last error">
              <Box component="span" sx={{ color: 'error.main' }} data-testid="credential-last-error">
                {c.lastError}
              </Box>
            </Line>
          )}
          <Line label="Last used">{c.lastUsedAt ? <TimeAgo iso={c.lastUsedAt} /> : 'never'}</Line>
          <Line label="Tested">{c.lastTestedAt ? <TimeAgo iso={c.lastTestedAt} /> : 'never'}</Line>
        </Stack>
        <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center', mt: 1.5, flexWrap: 'wrap', rowGap: 1 }}>
          <TestConnectionButton credential={c} onOutcome={onTested} />
          <Box sx={{ flex: 1 }} />
          <Tooltip title="Replace secret">
            <IconButton size="small" aria-label={`Replace secret of ${c.name}`} onClick={() => onAction('rotate', c)} data-testid="credential-rotate">
              <Key fontSize="small" />
            </IconButton>
          </Tooltip>
          <Tooltip title={c.enabled ? 'Disable' : 'Enable'}>
            <IconButton
              size="small"
              aria-label={`${c.enabled ? 'Disable' : 'Enable'} ${c.name}`}
              onClick={() => onAction(c.enabled ? 'disable' : 'enable', c)}
              data-testid="credential-toggle"
            >
              {c.enabled ? <PauseCircleOutline fontSize="small" /> : <PlayCircleOutline fontSize="small" />}
            </IconButton>
          </Tooltip>
          <Tooltip title="Delete">
            <IconButton size="small" aria-label={`Delete ${c.name}`} onClick={() => onAction('delete', c)} data-testid="credential-delete">
              <DeleteOutline fontSize="small" />
            </IconButton>
          </Tooltip>
        </Stack>
      </CardContent>
    </Card>
  );
}
