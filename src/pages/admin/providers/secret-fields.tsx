// The secret part of a credential form, by credential type: an API key, or an access key pair
// (the access key id is public, the secret access key and session token are not), typed in or given
// as a secret reference (env:NAME, or enc:... from `keyhold enc`). Secret inputs are password fields
// without autocomplete; the owning dialog clears them when it closes.
import { Stack, TextField, ToggleButton, ToggleButtonGroup } from '@mui/material';
import type { CredentialType } from '../parts/api-types';
import type { FieldErrors } from '../parts/use-submit';

export type SecretSource = 'value' | 'ref';

export interface SecretValues {
  source: SecretSource;
  apiKey: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  ref: string;
}

export const EMPTY_SECRETS: SecretValues = { source: 'value', apiKey: '', accessKeyId: '', secretAccessKey: '', sessionToken: '', ref: '' };

/** The API params these inputs answer for, so a 400 lands on the right one. */
export const SECRET_FIELDS = ['value.api_key', 'value.access_key_id', 'value.secret_access_key', 'value.session_token', 'ref'] as const;

export type SecretBody = { value?: Record<string, string>; ref?: string | Record<string, string> };

/** The `value` / `ref` of a create or replace request. */
export function toSecretBody(type: CredentialType, secrets: SecretValues): SecretBody {
  if (type === 'access_key_pair') {
    const value: Record<string, string> = { access_key_id: secrets.accessKeyId.trim() };
    if (secrets.source === 'ref') return { value, ref: { secret_access_key: secrets.ref.trim() } };
    value.secret_access_key = secrets.secretAccessKey;
    if (secrets.sessionToken) value.session_token = secrets.sessionToken;
    return { value };
  }
  return secrets.source === 'ref' ? { ref: secrets.ref.trim() } : { value: { api_key: secrets.apiKey } };
}

export function validateSecrets(type: CredentialType, secrets: SecretValues): FieldErrors {
  const errors: FieldErrors = {};
  if (type === 'access_key_pair' && !secrets.accessKeyId.trim()) errors['value.access_key_id'] = 'is required';
  if (secrets.source === 'ref') {
    if (!/^(env:[A-Za-z_][A-Za-z0-9_]*|enc:\S{16,})$/.test(secrets.ref.trim())) errors.ref = 'env:VARIABLE_NAME, or enc:… from "keyhold enc"';
  } else if (type === 'access_key_pair' && !secrets.secretAccessKey) errors['value.secret_access_key'] = 'is required';
  else if (type === 'api_key' && !secrets.apiKey) errors['value.api_key'] = 'is required';
  return errors;
}

interface SecretFieldsProps {
  type: CredentialType;
  secrets: SecretValues;
  onChange(next: SecretValues): void;
  errors: FieldErrors;
}

export function SecretFields({ type, secrets, onChange, errors }: SecretFieldsProps) {
  const set = (key: keyof SecretValues) => (e: React.ChangeEvent<HTMLInputElement>) => onChange({ ...secrets, [key]: e.target.value });
  const secretInput = (key: 'apiKey' | 'secretAccessKey' | 'sessionToken', param: string, label: string, required: boolean) => (
    <TextField
      label={label}
      type="password"
      autoComplete="off"
      value={secrets[key]}
      onChange={set(key)}
      required={required}
      error={Boolean(errors[param])}
      helperText={errors[param] ?? 'Stored encrypted; shown only masked from now on.'}
      fullWidth
      slotProps={{ htmlInput: { autoComplete: 'off', 'data-testid': `secret-${key}`, spellCheck: false } }}
    />
  );
  return (
    <Stack spacing={2}>
      <ToggleButtonGroup
        size="small"
        exclusive
        value={secrets.source}
        onChange={(_e, next: SecretSource | null) => next && onChange({ ...secrets, source: next })}
        aria-label="Secret source"
      >
        <ToggleButton value="value" data-testid="secret-source-value">
          Enter the secret
        </ToggleButton>
        <ToggleButton value="ref" data-testid="secret-source-ref">
          Secret reference
        </ToggleButton>
      </ToggleButtonGroup>
      {type === 'access_key_pair' && (
        <TextField
          label="Access key ID"
          value={secrets.accessKeyId}
          onChange={set('accessKeyId')}
          required
          autoComplete="off"
          error={Boolean(errors['value.access_key_id'])}
          helperText={errors['value.access_key_id'] ?? 'Public part of the key pair, e.g. AKIA…'}
          slotProps={{ htmlInput: { 'data-testid': 'secret-accessKeyId', spellCheck: false } }}
        />
      )}
      {secrets.source === 'ref' ? (
        <TextField
          label={type === 'access_key_pair' ? 'Secret access key reference' : 'API key reference'}
          value={secrets.ref}
          onChange={set('ref')}
          required
          autoComplete="off"
          error={Boolean(errors.ref ?? errors['ref.secret_access_key'])}
          helperText={errors.ref ?? errors['ref.secret_access_key'] ?? 'env:VARIABLE_NAME (read at each use) or enc:… (sealed with "keyhold enc").'}
          slotProps={{ htmlInput: { 'data-testid': 'secret-ref', spellCheck: false } }}
        />
      ) : type === 'access_key_pair' ? (
        <>
          {secretInput('secretAccessKey', 'value.secret_access_key', 'Secret access key', true)}
          {secretInput('sessionToken', 'value.session_token', 'Session token (optional)', false)}
        </>
      ) : (
        secretInput('apiKey', 'value.api_key', 'API key', true)
      )}
    </Stack>
  );
}
