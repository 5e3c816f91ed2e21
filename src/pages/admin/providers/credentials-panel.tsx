// The credentials of one account, as cards, with adding one, replacing a secret, testing, enabling,
// disabling and deleting. Destructive changes ask first; the list reloads after every change.
import { useState } from 'react';
import { Button, Grid, Pagination, Stack, Typography } from '@mui/material';
import Add from '@mui/icons-material/Add';
import { api } from '../../../api';
import { ConfirmDialog, EmptyState } from '../../../components';
import type { AccountView, CredentialView } from '../parts/api-types';
import { CredentialCard, type CredentialAction } from './credential-card';
import { CredentialDialog } from './credential-dialog';
import { RotateSecretDialog } from './rotate-secret-dialog';
import { TestOutcomeAlert, type TestOutcome } from './test-connection';

const PAGE_SIZE = 10;
type Pending = { kind: Exclude<CredentialAction, 'rotate'>; credential: CredentialView };

const CONFIRM: Record<Pending['kind'], { title: (name: string) => string; body: string; label: string }> = {
  delete: { title: (n) => `Delete credential ${n}?`, body: 'Its encrypted secret is erased. Calls use the account’s other credentials.', label: 'Delete' },
  disable: { title: (n) => `Disable credential ${n}?`, body: 'Calls stop using it until you enable it again.', label: 'Disable' },
  enable: { title: (n) => `Enable credential ${n}?`, body: 'Calls start using it again.', label: 'Enable' },
};

interface CredentialsPanelProps {
  account: AccountView;
  credentials: CredentialView[];
  onChanged(): void;
}

export function CredentialsPanel({ account, credentials, onChanged }: CredentialsPanelProps) {
  const [adding, setAdding] = useState(false);
  const [rotating, setRotating] = useState<CredentialView | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [tested, setTested] = useState<TestOutcome | null>(null);
  const [page, setPage] = useState(1);
  const base = `api/admin/accounts/${account.id}/credentials`;

  const onAction = (action: CredentialAction, credential: CredentialView) =>
    action === 'rotate' ? setRotating(credential) : setPending({ kind: action, credential });
  const confirmPending = async () => {
    if (!pending) return;
    const { kind, credential } = pending;
    if (kind === 'delete') await api.del(`${base}/${credential.id}`);
    else await api.patch(`${base}/${credential.id}`, { enabled: kind === 'enable' });
    onChanged();
  };

  const pages = Math.ceil(credentials.length / PAGE_SIZE);
  const shown = credentials.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const confirm = pending ? CONFIRM[pending.kind] : null;
  return (
    <Stack spacing={1.5} data-testid={`credentials-${account.name}`}>
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center' }}>
        <Typography variant="subtitle2" component="h3">
          Credentials of {account.name}
        </Typography>
        <Button size="small" startIcon={<Add />} onClick={() => setAdding(true)} data-testid="credential-add" sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}>
          Add credential
        </Button>
      </Stack>
      <TestOutcomeAlert outcome={tested} onClose={() => setTested(null)} />
      {credentials.length === 0 ? (
        <EmptyState title="No credentials yet" hint="Add one so this account can serve calls. Its secret is encrypted at once and only ever shown masked." />
      ) : (
        <Grid container spacing={1.5}>
          {shown.map((credential) => (
            <Grid key={credential.id} size={{ xs: 12, lg: 6 }}>
              <CredentialCard
                credential={credential}
                onAction={onAction}
                onTested={(outcome) => {
                  setTested(outcome);
                  onChanged();
                }}
              />
            </Grid>
          ))}
        </Grid>
      )}
      {pages > 1 && <Pagination count={pages} page={page} onChange={(_e, next: number) => setPage(next)} size="small" />}
      <CredentialDialog account={account} open={adding} onClose={() => setAdding(false)} onSaved={onChanged} />
      <RotateSecretDialog credential={rotating} onClose={() => setRotating(null)} onSaved={onChanged} />
      <ConfirmDialog
        open={pending !== null}
        title={confirm?.title(pending?.credential.name ?? '') ?? ''}
        body={confirm?.body ?? ''}
        confirmLabel={confirm?.label ?? 'Confirm'}
        destructive={pending?.kind !== 'enable'}
        onConfirm={confirmPending}
        onClose={() => setPending(null)}
      />
    </Stack>
  );
}
