// Replace a credential's secret: enter the new value, then confirm. The gateway uses the new value
// from the next call; the old one is not kept. The typed value is forgotten when the dialog closes.
import { useState } from 'react';
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, Typography } from '@mui/material';
import { api } from '../../../api';
import { ErrorAlert } from '../../../components';
import type { CredentialView } from '../parts/api-types';
import { useSubmit } from '../parts/use-submit';
import { EMPTY_SECRETS, SECRET_FIELDS, SecretFields, toSecretBody, validateSecrets, type SecretValues } from './secret-fields';

interface RotateSecretDialogProps {
  credential: CredentialView | null;
  onClose(): void;
  onSaved(credential: CredentialView): void;
}

function startingValues(credential: CredentialView | null): SecretValues {
  // The access key id is public: keep it unless the new pair has another one.
  return { ...EMPTY_SECRETS, accessKeyId: credential?.publicFields.access_key_id ?? '' };
}

export function RotateSecretDialog({ credential, onClose, onSaved }: RotateSecretDialogProps) {
  const [secrets, setSecrets] = useState<SecretValues>(EMPTY_SECRETS);
  const [confirming, setConfirming] = useState(false);
  const [forId, setForId] = useState<string | null>(null);
  const submit = useSubmit(SECRET_FIELDS);
  const type = credential?.type === 'access_key_pair' ? 'access_key_pair' : 'api_key';

  // A different credential opened: start from its public fields.
  if (credential && credential.id !== forId) {
    setForId(credential.id);
    setSecrets(startingValues(credential));
    setConfirming(false);
  }

  const close = () => {
    setSecrets(EMPTY_SECRETS);
    setForId(null);
    setConfirming(false);
    submit.reset();
    onClose();
  };

  const review = () => {
    const errors = validateSecrets(type, secrets);
    if (Object.keys(errors).length) return submit.setFieldErrors(errors);
    submit.reset();
    setConfirming(true);
  };

  const replace = async () => {
    if (!credential) return;
    const saved = await submit.run(() =>
      api.patch<CredentialView>(`api/admin/accounts/${credential.accountId}/credentials/${credential.id}`, toSecretBody(type, secrets)),
    );
    if (!saved) return setConfirming(false);
    close();
    onSaved(saved);
  };

  return (
    <Dialog open={credential !== null} onClose={submit.busy ? undefined : close} fullWidth maxWidth="sm" aria-labelledby="rotate-dialog-title">
      <DialogTitle id="rotate-dialog-title">Replace the secret of {credential?.name}</DialogTitle>
      <DialogContent>
        {credential?.type === 'custom' ? (
          // A custom credential's fields are its own; this form knows only API keys and key pairs.
          <Alert severity="info">
            This credential has custom fields. Replace its secret through the API (PATCH with every field in value), or delete it and add a
            new one.
          </Alert>
        ) : confirming ? (
          <Alert severity="warning" data-testid="rotate-confirm-text">
            Calls use the new secret as soon as you confirm, and the old secret is not kept. Revoke the old secret at the provider once
            calls succeed.
          </Alert>
        ) : (
          <Stack spacing={2} sx={{ pt: 1 }} component="form" autoComplete="off" noValidate onSubmit={(e) => {
            e.preventDefault();
            review();
          }}>
            <Typography variant="body2" color="text.secondary">
              Create the new secret at the provider first, then enter it here.
            </Typography>
            <SecretFields type={type} secrets={secrets} onChange={setSecrets} errors={submit.fieldErrors} />
            <button type="submit" hidden />
          </Stack>
        )}
        <ErrorAlert error={submit.error} />
      </DialogContent>
      <DialogActions>
        <Button onClick={confirming ? () => setConfirming(false) : close} disabled={submit.busy}>
          {confirming ? 'Back' : 'Cancel'}
        </Button>
        {confirming ? (
          <Button variant="contained" color="error" onClick={() => void replace()} disabled={submit.busy} data-testid="rotate-confirm">
            Replace secret
          </Button>
        ) : (
          <Button variant="contained" onClick={review} disabled={credential?.type === 'custom'} data-testid="rotate-continue">
            Continue
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
