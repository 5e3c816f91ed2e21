// Confirmation before the two destructive key actions. Revoke stops the key on its next request;
// rotate issues a new secret, and the user chooses whether the old one gets the server's grace period.
import { useState } from 'react';
import { Checkbox, FormControlLabel, Stack, Typography } from '@mui/material';
import { api } from '../../../api';
import { ConfirmDialog } from '../../../components';
import type { ApiKeyView, IssuedKey } from './key-types';

export type PendingAction = { kind: 'revoke' | 'rotate'; key: ApiKeyView } | null;

export interface KeyActionDialogsProps {
  pending: PendingAction;
  onClose(): void;
  onRevoked(): void;
  onRotated(issued: IssuedKey): void;
}

export function KeyActionDialogs({ pending, onClose, onRevoked, onRotated }: KeyActionDialogsProps) {
  const [stopOldNow, setStopOldNow] = useState(false);
  const key = pending?.key;

  const revoke = async () => {
    if (!key) return;
    await api.del(`api/me/keys/${encodeURIComponent(key.id)}`);
    onRevoked();
  };

  const rotate = async () => {
    if (!key) return;
    const issued = await api.post<IssuedKey>(`api/me/keys/${encodeURIComponent(key.id)}/rotate`, stopOldNow ? { graceHours: 0 } : {});
    setStopOldNow(false);
    onRotated(issued);
  };

  return (
    <>
      <ConfirmDialog
        open={pending?.kind === 'revoke'}
        title={`Revoke "${key?.name ?? ''}"?`}
        body="Programs using this key stop working on their next request. A revoked key cannot be restored; you can create a new one."
        confirmLabel="Revoke key"
        destructive
        onConfirm={revoke}
        onClose={onClose}
      />
      <ConfirmDialog
        open={pending?.kind === 'rotate'}
        title={`Rotate "${key?.name ?? ''}"?`}
        body={
          <Stack spacing={1}>
            <Typography>
              A new secret replaces the current one and is shown once. The key keeps its name, scopes, models and limits.
            </Typography>
            <Typography variant="body2" color="text.secondary">
              By default the old secret keeps working for a grace period set by your administrator, so running programs can switch over.
            </Typography>
            <FormControlLabel
              control={<Checkbox checked={stopOldNow} onChange={(e) => setStopOldNow(e.target.checked)} data-testid="rotate-stop-old" />}
              label="Stop the old secret immediately (for a leaked key)"
            />
          </Stack>
        }
        confirmLabel="Rotate key"
        destructive
        onConfirm={rotate}
        onClose={() => {
          setStopOldNow(false);
          onClose();
        }}
      />
    </>
  );
}
