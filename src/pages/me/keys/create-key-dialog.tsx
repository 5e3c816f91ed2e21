// "Create key": the form, sent to POST /api/me/keys. On success it hands the issued key (with its
// one-time secret) to the caller and resets, so the secret never lingers in this form's state.
import { useState } from 'react';
import { Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, Divider, Stack, TextField, useMediaQuery, useTheme } from '@mui/material';
import { api, ApiError } from '../../../api';
import { ErrorAlert } from '../../../components';
import { useSession } from '../../../session';
import { useAllowedModels } from '../parts/use-allowed-models';
import { EMPTY_KEY_FORM, fieldOfParam, toCreateKeyBody, type KeyFormErrors, type KeyFormState } from './key-form';
import { ExpiryField, ModelsField, ScopeField } from './key-form-fields';
import { LimitFields } from './key-limit-fields';
import type { IssuedKey, KeyScope } from './key-types';

export interface CreateKeyDialogProps {
  open: boolean;
  onClose(): void;
  onCreated(key: IssuedKey): void;
}

export function CreateKeyDialog({ open, onClose, onCreated }: CreateKeyDialogProps) {
  const { isAdmin } = useSession();
  const models = useAllowedModels(open);
  const phone = useMediaQuery(useTheme().breakpoints.down('sm'));
  const [form, setForm] = useState<KeyFormState>(EMPTY_KEY_FORM);
  const [errors, setErrors] = useState<KeyFormErrors>({});
  const [failure, setFailure] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  // Only what the server lets this role hold: a member asking for "admin" would be refused anyway.
  const allowedScopes: KeyScope[] = isAdmin ? ['read', 'write', 'admin'] : ['read', 'write'];

  const change = (patch: Partial<KeyFormState>) => {
    setForm((current) => ({ ...current, ...patch }));
    setErrors((current) => {
      const next = { ...current };
      for (const field of Object.keys(patch) as Array<keyof KeyFormState>) delete next[field];
      return next;
    });
  };

  const close = () => {
    if (busy) return;
    setForm(EMPTY_KEY_FORM);
    setErrors({});
    setFailure(null);
    onClose();
  };

  const submit = async () => {
    const checked = toCreateKeyBody(form);
    if ('errors' in checked) return setErrors(checked.errors);
    setBusy(true);
    setFailure(null);
    try {
      const issued = await api.post<IssuedKey>('api/me/keys', checked.body);
      setForm(EMPTY_KEY_FORM);
      setErrors({});
      onCreated(issued);
    } catch (err) {
      // A refusal about one field is shown beside it; anything else above the buttons.
      const field = err instanceof ApiError ? fieldOfParam(err.param, form.expiryMode) : null;
      if (field && err instanceof ApiError) setErrors({ [field]: err.message });
      else setFailure(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  const fieldProps = { form, errors, onChange: change };
  return (
    <Dialog open={open} onClose={close} fullScreen={phone} maxWidth="sm" fullWidth aria-labelledby="create-key-title" data-testid="create-key-dialog">
      <DialogTitle id="create-key-title">Create an API key</DialogTitle>
      <DialogContent dividers>
        <Stack spacing={3} component="form" noValidate onSubmit={(e) => (e.preventDefault(), void submit())}>
          <TextField
            label="Name"
            required
            autoFocus
            value={form.name}
            onChange={(e) => change({ name: e.target.value })}
            error={!!errors.name}
            helperText={errors.name ?? 'Where the key is used, so you recognise it later.'}
            slotProps={{ htmlInput: { maxLength: 128, 'data-testid': 'key-name' } }}
          />
          <ScopeField {...fieldProps} allowed={allowedScopes} />
          <ModelsField {...fieldProps} options={models.ids} />
          <ExpiryField {...fieldProps} />
          <Divider />
          <LimitFields {...fieldProps} />
        </Stack>
        <ErrorAlert error={failure} title="The key was not created" />
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>
          Cancel
        </Button>
        <Button
          variant="contained"
          onClick={() => void submit()}
          disabled={busy}
          data-testid="create-key-submit"
          startIcon={busy ? <CircularProgress size={16} color="inherit" /> : undefined}
        >
          Create key
        </Button>
      </DialogActions>
    </Dialog>
  );
}
