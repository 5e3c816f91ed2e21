// The fields of the "Create key" form: name, scopes, model allow-list and expiry. Limits are in
// key-limit-fields.tsx. Pure inputs: state and validation live in key-form.ts and the dialog.
import { Autocomplete, Checkbox, FormControl, FormControlLabel, FormGroup, FormHelperText, FormLabel, Radio, RadioGroup, TextField } from '@mui/material';
import type { KeyFormErrors, KeyFormState } from './key-form';
import type { KeyScope } from './key-types';

export interface FieldsProps {
  form: KeyFormState;
  errors: KeyFormErrors;
  onChange(patch: Partial<KeyFormState>): void;
}

const SCOPE_HELP: Record<KeyScope, string> = {
  read: 'read: list models, read your usage',
  write: 'write: call models',
  admin: 'admin: manage Keyhold through the admin API',
};

export function ScopeField({ form, errors, onChange, allowed }: FieldsProps & { allowed: KeyScope[] }) {
  const toggle = (scope: KeyScope, on: boolean) => onChange({ scopes: on ? [...form.scopes, scope] : form.scopes.filter((s) => s !== scope) });
  return (
    <FormControl error={!!errors.scopes} component="fieldset">
      <FormLabel component="legend">Scopes</FormLabel>
      <FormGroup>
        {allowed.map((scope) => (
          <FormControlLabel
            key={scope}
            label={SCOPE_HELP[scope]}
            control={<Checkbox checked={form.scopes.includes(scope)} onChange={(e) => toggle(scope, e.target.checked)} inputProps={{ 'aria-label': `scope ${scope}` }} />}
          />
        ))}
      </FormGroup>
      {errors.scopes && <FormHelperText>{errors.scopes}</FormHelperText>}
    </FormControl>
  );
}

export function ModelsField({ form, errors, onChange, options }: FieldsProps & { options: string[] }) {
  return (
    <Autocomplete
      multiple
      freeSolo
      // A pattern typed but not confirmed with Enter is still taken when the field loses focus.
      autoSelect
      options={options}
      value={form.models}
      onChange={(_e, value) => onChange({ models: value.map((v) => v.trim()).filter(Boolean) })}
      renderInput={(params) => (
        <TextField
          {...params}
          label="Models this key may call"
          placeholder={form.models.length ? '' : 'All models you are allowed'}
          error={!!errors.models}
          helperText={errors.models ?? 'Pick from your allowed models, or type a pattern such as openai-main/* and press Enter. Empty: every model the access rules allow you.'}
          inputProps={{ ...params.inputProps, 'data-testid': 'key-models-input' }}
        />
      )}
    />
  );
}

export function ExpiryField({ form, errors, onChange }: FieldsProps) {
  return (
    <FormControl component="fieldset">
      <FormLabel component="legend">Expiry</FormLabel>
      <RadioGroup row value={form.expiryMode} onChange={(e) => onChange({ expiryMode: e.target.value as KeyFormState['expiryMode'] })}>
        <FormControlLabel value="none" control={<Radio />} label="No expiry" />
        <FormControlLabel value="days" control={<Radio />} label="After days" />
        <FormControlLabel value="date" control={<Radio />} label="On a date" />
      </RadioGroup>
      {form.expiryMode === 'days' && (
        <TextField
          label="Days"
          type="number"
          size="small"
          sx={{ mt: 1, maxWidth: 200 }}
          value={form.expiryDays}
          onChange={(e) => onChange({ expiryDays: e.target.value })}
          error={!!errors.expiryDays}
          helperText={errors.expiryDays}
          slotProps={{ htmlInput: { min: 1, 'data-testid': 'key-expiry-days' } }}
        />
      )}
      {form.expiryMode === 'date' && (
        <TextField
          label="Expires at the end of"
          type="date"
          size="small"
          sx={{ mt: 1, maxWidth: 240 }}
          value={form.expiryDate}
          onChange={(e) => onChange({ expiryDate: e.target.value })}
          error={!!errors.expiryDate}
          helperText={errors.expiryDate}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'key-expiry-date' } }}
        />
      )}
      <FormHelperText>
        {form.expiryMode === 'none'
          ? 'The key lives as long as the server allows: if an admin set a maximum key lifetime, it expires then.'
          : 'An admin may cap how long keys live; a later date is refused with the limit in words.'}
      </FormHelperText>
    </FormControl>
  );
}
