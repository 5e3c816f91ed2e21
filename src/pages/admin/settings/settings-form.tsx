// Default access policy, key lifetime and rotation grace, usage retention and per-role limits, from
// GET /api/admin/settings and saved with PUT. Mistakes show on their field, from the local check or
// from the server's 400.
import { useEffect, useState } from 'react';
import { Alert, Button, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { api } from '../../../api';
import { ErrorAlert, Loading } from '../../../components';
import { useApi } from '../../../hooks/use-api';
import type { Settings } from '../parts/api-types';
import { useSubmit } from '../parts/use-submit';
import { RoleLimitsFields } from './role-limits-fields';
import { SETTINGS_FIELDS, toSettingsBody, toSettingsValues, validateSettingsValues, type SettingsValues } from './settings-form-values';

export function SettingsForm() {
  const settings = useApi<Settings>('api/admin/settings');
  const [values, setValues] = useState<SettingsValues | null>(null);
  const [saved, setSaved] = useState(false);
  const submit = useSubmit(SETTINGS_FIELDS);

  useEffect(() => {
    if (settings.data) setValues(toSettingsValues(settings.data));
  }, [settings.data]);

  if (settings.error) return <ErrorAlert error={settings.error} />;
  if (!values) return <Loading label="Loading settings…" />;

  const change = (next: Partial<SettingsValues>) => {
    setValues({ ...values, ...next });
    setSaved(false);
  };
  const field = (key: 'maxKeyLifetimeDays' | 'keyRotationGraceHours' | 'usageRetentionDays', label: string, helper: string) => (
    <TextField
      label={label}
      type="number"
      value={values[key]}
      onChange={(e) => change({ [key]: e.target.value })}
      error={Boolean(submit.fieldErrors[key])}
      helperText={submit.fieldErrors[key] ?? helper}
      sx={{ flex: 1 }}
      slotProps={{ htmlInput: { min: 0, 'data-testid': `settings-${key}` } }}
    />
  );
  const save = async () => {
    const errors = validateSettingsValues(values);
    if (Object.keys(errors).length) return submit.setFieldErrors(errors);
    const answer = await submit.run(() => api.put<Settings>('api/admin/settings', toSettingsBody(values)));
    if (!answer) return;
    setSaved(true);
    settings.reload();
  };

  return (
    <Stack spacing={3} component="form" noValidate onSubmit={(e) => {
      e.preventDefault();
      void save();
    }}>
      <TextField
        select
        label="Default policy"
        value={values.defaultPolicy}
        onChange={(e) => change({ defaultPolicy: e.target.value as Settings['defaultPolicy'] })}
        helperText={submit.fieldErrors.defaultPolicy ?? 'What happens when no access rule matches a call. Owners and admins are always allowed.'}
        error={Boolean(submit.fieldErrors.defaultPolicy)}
        slotProps={{ htmlInput: { 'data-testid': 'settings-defaultPolicy' } }}
      >
        <MenuItem value="allow-authenticated">Allow members and components (guests need a rule)</MenuItem>
        <MenuItem value="deny">Deny: only what a rule allows</MenuItem>
      </TextField>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
        {field('maxKeyLifetimeDays', 'Maximum key lifetime (days)', 'Longest expiry a new API key may have; empty for no maximum.')}
        {field('keyRotationGraceHours', 'Rotation grace (hours)', 'How long a rotated key’s old secret keeps working; 0 ends it at once.')}
        {field('usageRetentionDays', 'Keep usage records (days)', 'Older records are pruned hourly; empty or 0 keeps them forever.')}
      </Stack>
      <Stack spacing={1}>
        <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600 }}>
          Default limits per role
        </Typography>
        <Typography variant="body2" color="text.secondary">
          Apply to each user of the role, across all their keys and sessions. A key’s own limits apply as well.
        </Typography>
        <RoleLimitsFields limits={values.limits} errors={submit.fieldErrors} onChange={(role, next) => change({ limits: { ...values.limits, [role]: next } })} />
      </Stack>
      <ErrorAlert error={submit.error} />
      {Object.keys(submit.fieldErrors).length > 0 && <Alert severity="error">Some fields need fixing; they are marked above.</Alert>}
      {saved && <Alert severity="success" onClose={() => setSaved(false)} data-testid="settings-saved">Settings saved.</Alert>}
      <Stack direction="row" spacing={1} sx={{ justifyContent: 'flex-end' }}>
        <Button onClick={() => settings.data && setValues(toSettingsValues(settings.data))} disabled={submit.busy}>
          Discard changes
        </Button>
        <Button type="submit" variant="contained" disabled={submit.busy} data-testid="settings-save">
          Save settings
        </Button>
      </Stack>
    </Stack>
  );
}
