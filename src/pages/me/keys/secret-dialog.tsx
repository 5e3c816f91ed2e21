// Shows a just-issued secret exactly once. The secret lives only in the `issued` prop: the parent
// drops it when this dialog closes, and nothing here copies it to state, storage or the URL.
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, Typography } from '@mui/material';
import { api } from '../../../api';
import { CopyField } from '../../../components';
import { formatDateTime } from '../parts/format';
import type { IssuedKey } from './key-types';

export interface SecretDialogProps {
  issued: IssuedKey | null;
  /** "created" or "rotated": the wording differs, the handling does not. */
  reason: 'created' | 'rotated';
  onClose(): void;
}

export function SecretDialog({ issued, reason, onClose }: SecretDialogProps) {
  return (
    <Dialog
      open={issued !== null}
      // Closing by a stray click outside would lose the secret before it was copied.
      onClose={(_e, why) => why !== 'backdropClick' && onClose()}
      maxWidth="sm"
      fullWidth
      aria-labelledby="secret-dialog-title"
      data-testid="secret-dialog"
    >
      <DialogTitle id="secret-dialog-title">{reason === 'created' ? 'Your new API key' : 'Your rotated API key'}</DialogTitle>
      {issued && (
        <DialogContent>
          <Stack spacing={2}>
            <Alert severity="warning" data-testid="secret-warning">
              Copy this key now and keep it somewhere safe. It will not be shown again: Keyhold stores only a hash of it.
            </Alert>
            <CopyField value={issued.key} label={`Secret of "${issued.name}"`} data-testid="new-key-secret" />
            <Typography variant="body2" color="text.secondary">
              Use it as a Bearer token with any OpenAI-compatible client, base URL <code>{window.location.origin + api.url('v1')}</code>.
              {issued.expiresAt ? ` It expires ${formatDateTime(issued.expiresAt)}.` : ' It does not expire.'}
            </Typography>
            {reason === 'rotated' && (
              <Alert severity="info" data-testid="rotation-grace">
                {issued.previousSecretValidUntil
                  ? `The previous secret keeps working until ${formatDateTime(issued.previousSecretValidUntil)}, so you can update your programs before it stops.`
                  : 'The previous secret stopped working immediately.'}
              </Alert>
            )}
          </Stack>
        </DialogContent>
      )}
      <DialogActions>
        <Button variant="contained" onClick={onClose} data-testid="secret-done">
          I have copied it
        </Button>
      </DialogActions>
    </Dialog>
  );
}
