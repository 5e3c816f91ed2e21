// "Explain": may this user (DID and role), API key or component call this model, and which rule
// decides? Asks POST /api/admin/access/explain, which evaluates exactly as a real call would.
import { useState } from 'react';
import { Alert, AlertTitle, Autocomplete, Button, List, ListItem, ListItemText, MenuItem, Stack, TextField, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { api } from '../../../api';
import { ErrorAlert } from '../../../components';
import { useApi } from '../../../hooks/use-api';
import type { AccessExplanation, AccountView, ListResponse, RuleRef } from '../parts/api-types';
import { useSubmit } from '../parts/use-submit';

type SubjectKind = 'user' | 'key' | 'component';
const ROLES = ['owner', 'admin', 'member', 'guest'] as const;
const FIELDS = ['principal.did', 'principal.role', 'principal.keyId', 'principal.componentDid', 'model'];

function describeRule(rule: RuleRef): string {
  return rule.name ? `${rule.name} (${rule.id})` : rule.id;
}

function modelOptions(accounts: AccountView[] | undefined): string[] {
  return (accounts ?? []).flatMap((a) => [...a.enabledModels, ...Object.keys(a.modelAliases)].filter((m) => m !== '*').map((m) => `${a.name}/${m}`));
}

export function ExplainTool() {
  const accounts = useApi<ListResponse<AccountView>>('api/admin/accounts');
  const [kind, setKind] = useState<SubjectKind>('user');
  const [did, setDid] = useState('');
  const [role, setRole] = useState<(typeof ROLES)[number]>('member');
  const [keyId, setKeyId] = useState('');
  const [componentDid, setComponentDid] = useState('');
  const [model, setModel] = useState('');
  const [result, setResult] = useState<AccessExplanation | null>(null);
  const submit = useSubmit(FIELDS);
  const err = (field: string) => ({ error: Boolean(submit.fieldErrors[field]), helperText: submit.fieldErrors[field] });

  const explain = async () => {
    setResult(null);
    const principal = kind === 'user' ? { role, ...(did.trim() ? { did: did.trim() } : {}) } : kind === 'key' ? { keyId: keyId.trim() } : { componentDid: componentDid.trim() };
    const answer = await submit.run(() => api.post<AccessExplanation>('api/admin/access/explain', { principal, model: model.trim() }));
    if (answer) setResult(answer);
  };

  return (
    <Stack spacing={2} component="form" noValidate onSubmit={(e) => {
      e.preventDefault();
      void explain();
    }}>
      <Typography variant="body2" color="text.secondary">
        Check what a caller may do: the answer comes from the same evaluation a real call goes through (scopes, the key’s own model list,
        the rules, then the default policy).
      </Typography>
      <ToggleButtonGroup size="small" exclusive value={kind} onChange={(_e, next: SubjectKind | null) => next && setKind(next)} aria-label="Who is asking">
        <ToggleButton value="user" data-testid="explain-kind-user">User</ToggleButton>
        <ToggleButton value="key" data-testid="explain-kind-key">API key</ToggleButton>
        <ToggleButton value="component" data-testid="explain-kind-component">Component</ToggleButton>
      </ToggleButtonGroup>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
        {kind === 'user' && (
          <>
            <TextField label="User DID (optional)" value={did} onChange={(e) => setDid(e.target.value)} sx={{ flex: 2 }} {...err('principal.did')}
              slotProps={{ htmlInput: { 'data-testid': 'explain-did' } }} />
            <TextField select label="Role" value={role} onChange={(e) => setRole(e.target.value as typeof role)} sx={{ flex: 1 }} {...err('principal.role')}
              slotProps={{ htmlInput: { 'data-testid': 'explain-role' } }}>
              {ROLES.map((r) => <MenuItem key={r} value={r}>{r}</MenuItem>)}
            </TextField>
          </>
        )}
        {kind === 'key' && (
          <TextField label="API key id" placeholder="the part after kh- in the key" value={keyId} onChange={(e) => setKeyId(e.target.value)} fullWidth
            {...err('principal.keyId')} slotProps={{ htmlInput: { 'data-testid': 'explain-key' } }} />
        )}
        {kind === 'component' && (
          <TextField label="Component DID" value={componentDid} onChange={(e) => setComponentDid(e.target.value)} fullWidth
            {...err('principal.componentDid')} slotProps={{ htmlInput: { 'data-testid': 'explain-component' } }} />
        )}
      </Stack>
      {/* The button sits beside the model field, where the suggestion list never covers it. */}
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'flex-start' } }}>
        <Autocomplete
          freeSolo
          options={modelOptions(accounts.data?.data)}
          inputValue={model}
          onInputChange={(_e, value) => setModel(value)}
          sx={{ flex: 1 }}
          renderInput={(params) => (
            <TextField {...params} label="Model (account/model)" {...err('model')} slotProps={{ htmlInput: { ...params.inputProps, 'data-testid': 'explain-model' } }} />
          )}
        />
        <Button type="submit" variant="contained" disabled={submit.busy || !model.trim()} data-testid="explain-run" sx={{ mt: { sm: 1 } }}>
          Explain
        </Button>
      </Stack>
      <ErrorAlert error={submit.error} />
      {result && (
        <Alert severity={result.allowed ? 'success' : 'error'} data-testid="explain-result">
          <AlertTitle>{result.allowed ? 'Allowed' : 'Denied'}</AlertTitle>
          <Typography variant="body2">{result.reason}</Typography>
          <Typography variant="body2" sx={{ mt: 1 }} data-testid="explain-deciding-rule">
            {result.rule ? `Deciding rule: ${describeRule(result.rule)}` : 'No rule decided this.'}
          </Typography>
          {result.matched.length > 0 && (
            <List dense disablePadding sx={{ mt: 1 }}>
              {result.matched.map((rule) => (
                <ListItem key={rule.id} disableGutters>
                  <ListItemText primary={`${rule.effect} · priority ${rule.priority} · ${describeRule(rule)}`} secondary={rule.id === result.rule?.id ? 'decides' : 'also matches'} />
                </ListItem>
              ))}
            </List>
          )}
        </Alert>
      )}
    </Stack>
  );
}
