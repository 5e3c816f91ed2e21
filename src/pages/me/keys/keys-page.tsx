// /keys: the signed-in user's own API keys. Lists them (secrets never: only the public prefix),
// creates, rotates and revokes. A new secret is held in `issued` only while its dialog is open.
import { useMemo, useState, type ReactNode } from 'react';
import { Alert, Button, FormControlLabel, Switch } from '@mui/material';
import Add from '@mui/icons-material/Add';
import { DataTable, EmptyState, ErrorAlert, Loading, PageHeader } from '../../../components';
import { useApi } from '../../../hooks/use-api';
import { CreateKeyDialog } from './create-key-dialog';
import { KeyActionDialogs, type PendingAction } from './key-action-dialogs';
import { keyColumns } from './key-columns';
import { SecretDialog } from './secret-dialog';
import { statusOf, type IssuedKey, type KeyList } from './key-types';

// The API pages by 200 at most; more keys than that for one person is not a case worth a second fetch.
const LIST_PATH = 'api/me/keys?includeRevoked=true&limit=200';

export function KeysPage() {
  const list = useApi<KeyList>(LIST_PATH);
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<{ key: IssuedKey; reason: 'created' | 'rotated' } | null>(null);
  const [pending, setPending] = useState<PendingAction>(null);
  const [showRevoked, setShowRevoked] = useState(false);

  const keys = list.data?.data;
  const rows = useMemo(() => (keys ?? []).filter((k) => showRevoked || statusOf(k) !== 'revoked'), [keys, showRevoked]);
  const revokedCount = (keys ?? []).filter((k) => statusOf(k) === 'revoked').length;
  const columns = useMemo(() => keyColumns({ onRotate: (key) => setPending({ kind: 'rotate', key }), onRevoke: (key) => setPending({ kind: 'revoke', key }) }), []);

  const createButton = (
    <Button variant="contained" startIcon={<Add />} onClick={() => setCreating(true)} data-testid="create-key">
      Create key
    </Button>
  );

  let body: ReactNode;
  if (list.error) body = <ErrorAlert error={list.error} title="Your keys could not be loaded" action={<Button onClick={list.reload}>Retry</Button>} />;
  else if (!keys) body = <Loading label="Loading your keys…" />;
  else if (keys.length === 0)
    body = <EmptyState title="No API keys yet" hint="Create a key to call models from your programs with any OpenAI-compatible client." action={createButton} />;
  else
    body = (
      <>
        <FormControlLabel
          sx={{ mb: 1 }}
          control={<Switch checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} data-testid="show-revoked" />}
          label={`Show revoked keys (${revokedCount})`}
        />
        <DataTable columns={columns} rows={rows} rowKey="id" label="My API keys" data-testid="keys-table" emptyText="No active keys. Switch on “Show revoked keys” to see the others." />
        {list.data && list.data.total > keys.length && (
          <Alert severity="info" sx={{ mt: 2 }}>
            Showing your newest {keys.length} of {list.data.total} keys.
          </Alert>
        )}
      </>
    );

  return (
    <>
      <PageHeader title="My API keys" subtitle="Keys let your programs call the models you are allowed, as you. Each secret is shown once, when it is created or rotated." actions={keys && keys.length > 0 ? createButton : undefined} />
      {body}
      <CreateKeyDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(key) => {
          setCreating(false);
          setIssued({ key, reason: 'created' });
          list.reload();
        }}
      />
      <KeyActionDialogs
        pending={pending}
        onClose={() => setPending(null)}
        onRevoked={list.reload}
        onRotated={(key) => {
          setIssued({ key, reason: 'rotated' });
          list.reload();
        }}
      />
      {/* Dropping `issued` on close is what forgets the secret: nothing else holds it. */}
      <SecretDialog issued={issued?.key ?? null} reason={issued?.reason ?? 'created'} onClose={() => setIssued(null)} />
    </>
  );
}
