// The audit log's filters: actor DID, action (exact, or a prefix ending in *), target type and id,
// and a time range. Applied together on the server (GET /api/admin/audit and its export).
import { useState } from 'react';
import { Autocomplete, Button, Stack, TextField } from '@mui/material';

export interface AuditFilter {
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  /** datetime-local values (local time), empty for no bound. */
  since: string;
  until: string;
}

export const NO_FILTER: AuditFilter = { actor: '', action: '', targetType: '', targetId: '', since: '', until: '' };

// Actions Keyhold writes (api/**: appendAuditEvent), and the prefixes that group them.
const ACTIONS = [
  'account.*', 'account.created', 'account.updated', 'account.deleted',
  'credential.*', 'credential.created', 'credential.updated', 'credential.secret_replaced', 'credential.tested', 'credential.deleted',
  'credential.disabled', 'credential.recovered', 'credential.imported_from_env',
  'rule.*', 'rule.created', 'rule.updated', 'rule.deleted', 'rules.replaced',
  'api_key.*', 'api_key.created', 'api_key.rotated', 'api_key.revoked',
  'settings.updated', 'prices.updated', 'keyring.*', 'keyring.rotation_started', 'keyring.rotation_completed',
  'auth.*', 'auth.admin_unauthenticated', 'auth.admin_forbidden', 'auth.apiKey_failed', 'auth.loginToken_failed', 'auth.componentCall_failed',
  'auth.ip_blocked', 'budget.*',
];
const TARGET_TYPES = ['account', 'credential', 'rule', 'rules', 'api_key', 'settings', 'keyring', 'budget', 'route'];

/** The query string for the API: only the filters that are set, times as ISO instants. */
export function auditQuery(filter: AuditFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['actor', 'action', 'targetType', 'targetId'] as const) if (filter[key].trim()) params.set(key, filter[key].trim());
  for (const key of ['since', 'until'] as const) {
    const ms = filter[key] ? Date.parse(filter[key]) : NaN;
    if (Number.isFinite(ms)) params.set(key, new Date(ms).toISOString());
  }
  return params;
}

export function AuditFilters({ applied, onApply }: { applied: AuditFilter; onApply(filter: AuditFilter): void }) {
  const [draft, setDraft] = useState<AuditFilter>(applied);
  const set = (key: keyof AuditFilter) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const input = (key: keyof AuditFilter) => ({ htmlInput: { 'data-testid': `audit-filter-${key}` } });
  return (
    <Stack
      component="form"
      spacing={2}
      sx={{ mb: 2 }}
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
        <TextField size="small" label="Actor DID" value={draft.actor} onChange={(e) => set('actor')(e.target.value)} sx={{ flex: 2 }} slotProps={input('actor')} />
        <Autocomplete
          freeSolo
          options={ACTIONS}
          inputValue={draft.action}
          onInputChange={(_e, value) => set('action')(value)}
          sx={{ flex: 2, minWidth: 200 }}
          renderInput={(params) => (
            <TextField {...params} size="small" label="Action" helperText="exact, or a prefix such as credential.*"
              slotProps={{ htmlInput: { ...params.inputProps, 'data-testid': 'audit-filter-action' } }} />
          )}
        />
        <Autocomplete
          freeSolo
          options={TARGET_TYPES}
          inputValue={draft.targetType}
          onInputChange={(_e, value) => set('targetType')(value)}
          sx={{ flex: 1, minWidth: 140 }}
          renderInput={(params) => <TextField {...params} size="small" label="Target type" slotProps={{ htmlInput: { ...params.inputProps, 'data-testid': 'audit-filter-targetType' } }} />}
        />
        <TextField size="small" label="Target id" value={draft.targetId} onChange={(e) => set('targetId')(e.target.value)} sx={{ flex: 2 }} slotProps={input('targetId')} />
      </Stack>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' } }}>
        {(['since', 'until'] as const).map((key) => (
          <TextField
            key={key}
            size="small"
            type="datetime-local"
            label={key === 'since' ? 'From' : 'To'}
            value={draft[key]}
            onChange={(e) => set(key)(e.target.value)}
            slotProps={{ inputLabel: { shrink: true }, ...input(key) }}
          />
        ))}
        <Stack direction="row" spacing={1}>
          <Button type="submit" variant="contained" data-testid="audit-apply">
            Apply filters
          </Button>
          <Button
            onClick={() => {
              setDraft(NO_FILTER);
              onApply(NO_FILTER);
            }}
          >
            Clear
          </Button>
        </Stack>
      </Stack>
    </Stack>
  );
}
