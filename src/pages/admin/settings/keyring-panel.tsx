// The keyring: data-key versions (active, retiring, retired) and key rotation. Rotation runs on the
// server in the background (POST /api/admin/keyring/rotate answers 202); progress is polled from
// GET /api/admin/keyring until it stops running, then the outcome is shown.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Box, Button, Chip, LinearProgress, Stack, Typography } from '@mui/material';
import Autorenew from '@mui/icons-material/Autorenew';
import { api } from '../../../api';
import { ConfirmDialog, DataTable, ErrorAlert, Loading, TimeAgo, type DataColumn } from '../../../components';
import { useApi } from '../../../hooks/use-api';
import type { KeyringState, RotationProgress } from '../parts/api-types';

const POLL_MS = 1000;
const STATUS_COLOR = { active: 'success', retiring: 'warning', retired: 'default' } as const;

const columns: Array<DataColumn<KeyringState['versions'][number]>> = [
  { key: 'version', label: 'Version', render: (v) => <strong>v{v.version}</strong> },
  { key: 'status', label: 'Status', render: (v) => <Chip size="small" label={v.status} color={STATUS_COLOR[v.status]} /> },
  { key: 'createdAt', label: 'Created', render: (v) => <TimeAgo iso={v.createdAt} /> },
  { key: 'retiredAt', label: 'Retired', render: (v) => <TimeAgo iso={v.retiredAt} /> },
];

function RotationStatus({ progress, finished }: { progress: RotationProgress; finished: boolean }) {
  const percent = progress.total ? Math.round((progress.done / progress.total) * 100) : 100;
  if (progress.running) {
    return (
      <Box data-testid="rotation-progress">
        <Typography variant="body2" gutterBottom>
          Re-encrypting credentials under v{progress.activeVersion}: {progress.done} of {progress.total}
        </Typography>
        <LinearProgress variant={progress.total ? 'determinate' : 'indeterminate'} value={percent} />
      </Box>
    );
  }
  if (!finished) return null;
  return (
    <Alert severity={progress.done === progress.total ? 'success' : 'warning'} data-testid="rotation-result">
      {progress.done === progress.total
        ? `Rotation finished: v${progress.activeVersion} is active and all ${progress.total} stored secrets are sealed under it.`
        : `Rotation stopped with ${progress.done} of ${progress.total} secrets under v${progress.activeVersion}; it resumes at the next start, or rotate again.`}
    </Alert>
  );
}

export function KeyringPanel() {
  const keyring = useApi<KeyringState>('api/admin/keyring');
  const [confirming, setConfirming] = useState(false);
  const [progress, setProgress] = useState<RotationProgress | null>(null);
  const [finished, setFinished] = useState(false);
  const [pollError, setPollError] = useState<Error | null>(null);
  const { reload } = keyring;
  const running = (progress ?? keyring.data?.progress)?.running ?? false;

  const poll = useCallback(async () => {
    try {
      const state = await api.get<KeyringState>('api/admin/keyring');
      setProgress(state.progress);
      setPollError(null);
      if (!state.progress.running) {
        setFinished(true);
        reload();
      }
    } catch (err) {
      setPollError(err instanceof Error ? err : new Error(String(err)));
    }
  }, [reload]);

  // While a rotation runs (started here, or already running when the page opened), follow it.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => clearInterval(timer);
  }, [running, poll]);

  const rotate = async () => {
    setFinished(false);
    const answer = await api.post<{ started: boolean; progress: RotationProgress }>('api/admin/keyring/rotate');
    setProgress(answer.progress);
    // A small keyring can finish before the answer arrives: read the outcome once more.
    if (!answer.progress.running) await poll();
  };

  if (keyring.error) return <ErrorAlert error={keyring.error} />;
  if (!keyring.data) return <Loading label="Loading keyring…" />;
  const shown = progress ?? keyring.data.progress;
  return (
    <Stack spacing={2}>
      <Typography variant="body2" color="text.secondary">
        Credentials are sealed with a data key, itself wrapped by the app’s key. Rotating adds a new data key, re-seals every stored
        secret under it, then retires the old keys. Calls keep working throughout.
      </Typography>
      <DataTable columns={columns} rows={[...keyring.data.versions].reverse()} rowKey="version" pageSize={10} label="Keyring versions" data-testid="keyring-versions" />
      <RotationStatus progress={shown} finished={finished} />
      <ErrorAlert error={pollError} />
      <Stack direction="row" sx={{ justifyContent: 'flex-end' }}>
        <Button variant="outlined" startIcon={<Autorenew />} onClick={() => setConfirming(true)} disabled={running} data-testid="keyring-rotate">
          {running ? 'Rotating…' : 'Rotate key'}
        </Button>
      </Stack>
      <ConfirmDialog
        open={confirming}
        title="Rotate the data key?"
        body={`A new data key is created and all ${shown.total} stored secrets are re-encrypted under it. This cannot be undone, and only one rotation runs at a time.`}
        confirmLabel="Rotate key"
        onConfirm={rotate}
        onClose={() => setConfirming(false)}
      />
    </Stack>
  );
}
