// Add or edit a provider account. Checks the form first (account-form.ts), then shows the server's
// 400 on the field its `param` names. The type is fixed once created (the API does not change it).
import { Fragment, useEffect, useState } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel, MenuItem, Stack, Switch, TextField, Typography } from '@mui/material';
import { api } from '../../../api';
import { ErrorAlert } from '../../../components';
import { NEEDS_REGION, PROVIDER_TYPES, type AccountView } from '../parts/api-types';
import { useSubmit } from '../parts/use-submit';
import {
  ACCOUNT_FIELDS,
  BASE_URL_HINT,
  LIMIT_FIELDS,
  accountFormFrom,
  emptyAccountForm,
  toCreateBody,
  toUpdateBody,
  validateAccountForm,
  type AccountFormValues,
} from './account-form';

export interface AccountDialogProps {
  open: boolean;
  /** The account to edit; null to add one. */
  account: AccountView | null;
  onClose(): void;
  onSaved(account: AccountView): void;
}

export function AccountDialog({ open, account, onClose, onSaved }: AccountDialogProps) {
  const [form, setForm] = useState<AccountFormValues>(emptyAccountForm);
  const submit = useSubmit(ACCOUNT_FIELDS);
  const { reset } = submit;

  useEffect(() => {
    if (!open) return;
    setForm(account ? accountFormFrom(account) : emptyAccountForm());
    reset();
  }, [open, account, reset]);

  const set = <K extends keyof AccountFormValues>(key: K) => (value: AccountFormValues[K]) => setForm((f) => ({ ...f, [key]: value }));
  const text = (key: Exclude<keyof AccountFormValues, 'type' | 'enabled'>, label: string, extra: { helper?: string; multiline?: boolean; type?: string; required?: boolean } = {}) => (
    <TextField
      label={label}
      value={form[key]}
      onChange={(e) => setForm((f) => ({ ...f, [key]: e.target.value }))}
      error={Boolean(submit.fieldErrors[key])}
      helperText={submit.fieldErrors[key] ?? extra.helper}
      multiline={extra.multiline}
      minRows={extra.multiline ? 2 : undefined}
      type={extra.type}
      required={extra.required}
      fullWidth
      slotProps={{ htmlInput: { 'data-testid': `account-${key}` } }}
    />
  );

  const save = async () => {
    const errors = validateAccountForm(form);
    if (Object.keys(errors).length) return submit.setFieldErrors(errors);
    const saved = await submit.run(() =>
      account ? api.patch<AccountView>(`api/admin/accounts/${account.id}`, toUpdateBody(form)) : api.post<AccountView>('api/admin/accounts', toCreateBody(form)),
    );
    if (saved) onSaved(saved);
  };

  const isAzure = form.type === 'azure-openai';
  return (
    <Dialog open={open} onClose={submit.busy ? undefined : onClose} fullWidth maxWidth="sm" aria-labelledby="account-dialog-title">
      <DialogTitle id="account-dialog-title">{account ? `Edit ${account.name}` : 'Add provider account'}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }} component="form" noValidate onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}>
          {text('name', 'Name', { helper: 'Used in model names: <name>/<model>. Lowercase letters, digits and "-".', required: true })}
          <TextField
            select
            label="Type"
            value={form.type}
            onChange={(e) => set('type')(e.target.value as AccountFormValues['type'])}
            disabled={Boolean(account)}
            helperText={account ? 'The type cannot change; add a new account instead.' : undefined}
            slotProps={{ htmlInput: { 'data-testid': 'account-type' } }}
          >
            {PROVIDER_TYPES.map((type) => (
              <MenuItem key={type} value={type}>
                {type}
              </MenuItem>
            ))}
          </TextField>
          {text('baseUrl', 'Base URL', { helper: BASE_URL_HINT[form.type] })}
          {(NEEDS_REGION.has(form.type) || form.region) && text('region', 'Region', { helper: 'e.g. us-east-1', required: NEEDS_REGION.has(form.type) })}
          {(isAzure || form.apiVersion) && text('apiVersion', 'API version', { helper: 'Empty for 2024-10-21' })}
          {text('enabledModels', 'Enabled models', {
            helper: 'One per line, as the upstream names them; * lets any model through.',
            multiline: true,
          })}
          {text('modelAliases', 'Model aliases', { helper: 'One "alias = upstream-model" per line.', multiline: true })}
          <Stack direction="row" spacing={2}>
            {text('weight', 'Weight', { type: 'number', helper: 'Share of traffic among accounts serving a model.' })}
            {text('timeoutMs', 'Timeout (ms)', { type: 'number', helper: 'Empty for the default.' })}
          </Stack>
          <Typography variant="body2" color="text.secondary">
            Limits on all traffic to this account, every caller together (empty: none). A bare model name moves on to another account when this one is full.
          </Typography>
          <Stack direction="row" spacing={2}>
            {LIMIT_FIELDS.map((field) => (
              <Fragment key={field.key}>{text(field.key, field.label, { type: 'number' })}</Fragment>
            ))}
          </Stack>
          {!account && (
            <FormControlLabel control={<Switch checked={form.enabled} onChange={(e) => set('enabled')(e.target.checked)} />} label="Enabled" />
          )}
          <ErrorAlert error={submit.error} />
          <button type="submit" hidden />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={submit.busy}>
          Cancel
        </Button>
        <Button variant="contained" onClick={() => void save()} disabled={submit.busy} data-testid="account-save">
          {account ? 'Save' : 'Add account'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
