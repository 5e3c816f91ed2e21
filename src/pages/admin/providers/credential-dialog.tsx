// Add a credential to an account: name, type (an AWS Bedrock account takes an access key pair, the
// others an API key), weight, and the secret. The secret lives only in this dialog's state, which
// is emptied whenever the dialog closes, saved or not.
import { useState } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, Stack, TextField } from '@mui/material';
import { api } from '../../../api';
import { ErrorAlert } from '../../../components';
import type { AccountView, CredentialType, CredentialView } from '../parts/api-types';
import { useSubmit } from '../parts/use-submit';
import { EMPTY_SECRETS, SECRET_FIELDS, SecretFields, toSecretBody, validateSecrets, type SecretValues } from './secret-fields';

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;
const TYPE_LABEL: Record<Exclude<CredentialType, 'custom'>, string> = { api_key: 'API key', access_key_pair: 'Access key pair (AWS)' };

function defaultType(account: AccountView): Exclude<CredentialType, 'custom'> {
  return account.type === 'aws-bedrock' ? 'access_key_pair' : 'api_key';
}

interface CredentialDialogProps {
  account: AccountView;
  open: boolean;
  onClose(): void;
  onSaved(credential: CredentialView): void;
}

export function CredentialDialog({ account, open, onClose, onSaved }: CredentialDialogProps) {
  const [name, setName] = useState('main');
  const [type, setType] = useState<Exclude<CredentialType, 'custom'>>(defaultType(account));
  const [weight, setWeight] = useState('1');
  const [secrets, setSecrets] = useState<SecretValues>(EMPTY_SECRETS);
  const submit = useSubmit(['name', 'type', 'weight', ...SECRET_FIELDS]);

  // Fail safe: every way out of the dialog forgets the typed secret.
  const close = () => {
    setSecrets(EMPTY_SECRETS);
    setName('main');
    setWeight('1');
    setType(defaultType(account));
    submit.reset();
    onClose();
  };

  const save = async () => {
    const errors = validateSecrets(type, secrets);
    if (!NAME.test(name)) errors.name = '1-64 letters, digits, space, ".", "_" or "-"';
    if (!/^\d+$/.test(weight) || Number(weight) > 1000) errors.weight = 'a whole number from 0 to 1000';
    if (Object.keys(errors).length) return submit.setFieldErrors(errors);
    const body = { name, type, weight: Number(weight), ...toSecretBody(type, secrets) };
    const saved = await submit.run(() => api.post<CredentialView>(`api/admin/accounts/${account.id}/credentials`, body));
    if (!saved) return;
    close();
    onSaved(saved);
  };

  return (
    <Dialog open={open} onClose={submit.busy ? undefined : close} fullWidth maxWidth="sm" aria-labelledby="credential-dialog-title">
      <DialogTitle id="credential-dialog-title">Add credential to {account.name}</DialogTitle>
      <DialogContent>
        <Stack
          spacing={2}
          sx={{ pt: 1 }}
          component="form"
          autoComplete="off"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <TextField
            label="Name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            error={Boolean(submit.fieldErrors.name)}
            helperText={submit.fieldErrors.name ?? 'To tell credentials of this account apart, e.g. "main" or "team-b".'}
            slotProps={{ htmlInput: { 'data-testid': 'credential-name' } }}
          />
          <Stack direction="row" spacing={2}>
            <TextField
              select
              label="Type"
              value={type}
              onChange={(e) => setType(e.target.value as Exclude<CredentialType, 'custom'>)}
              sx={{ flex: 2 }}
              slotProps={{ htmlInput: { 'data-testid': 'credential-type' } }}
            >
              {(Object.keys(TYPE_LABEL) as Array<keyof typeof TYPE_LABEL>).map((t) => (
                <MenuItem key={t} value={t}>
                  {TYPE_LABEL[t]}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              label="Weight"
              type="number"
              value={weight}
              onChange={(e) => setWeight(e.target.value)}
              error={Boolean(submit.fieldErrors.weight)}
              helperText={submit.fieldErrors.weight ?? 'Share of this account’s calls.'}
              sx={{ flex: 1 }}
              slotProps={{ htmlInput: { min: 0, max: 1000, 'data-testid': 'credential-weight' } }}
            />
          </Stack>
          <SecretFields type={type} secrets={secrets} onChange={setSecrets} errors={submit.fieldErrors} />
          <ErrorAlert error={submit.error} />
          <button type="submit" hidden />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={submit.busy}>
          Cancel
        </Button>
        <Button variant="contained" onClick={() => void save()} disabled={submit.busy} data-testid="credential-save">
          Add credential
        </Button>
      </DialogActions>
    </Dialog>
  );
}
