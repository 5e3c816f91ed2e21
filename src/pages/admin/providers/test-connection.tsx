// "Test connection": asks the server to call the provider's list-models endpoint with this
// credential (POST .../test) and reports the answer in words. A pass puts a failing credential back
// in rotation and a failure takes it out, so the list reloads afterwards.
import { useState } from 'react';
import { Alert, Button, CircularProgress } from '@mui/material';
import { api } from '../../../api';
import type { ConnectionTestResult, CredentialView } from '../parts/api-types';

export interface TestOutcome {
  credentialName: string;
  result: ConnectionTestResult | null;
  /** The request itself failed (not the upstream). */
  error: Error | null;
}

export function describeTest({ credentialName, result, error }: TestOutcome): string {
  if (error) return `Could not test ${credentialName}: ${error.message}`;
  if (!result) return '';
  if (result.ok) {
    const models = result.models === undefined ? '' : `, ${result.models} model${result.models === 1 ? '' : 's'} listed`;
    return `${credentialName}: connected (HTTP ${result.status} in ${result.latencyMs} ms${models}).`;
  }
  const status = result.status ? ` (HTTP ${result.status})` : '';
  return `${credentialName}: connection failed${status}: ${result.error ?? 'no reason given'}.`;
}

export function TestOutcomeAlert({ outcome, onClose }: { outcome: TestOutcome | null; onClose(): void }) {
  if (!outcome) return null;
  const ok = Boolean(outcome.result?.ok);
  return (
    <Alert severity={ok ? 'success' : 'error'} onClose={onClose} data-testid="credential-test-result" role="status">
      {describeTest(outcome)}
    </Alert>
  );
}

interface TestConnectionButtonProps {
  credential: CredentialView;
  onOutcome(outcome: TestOutcome): void;
}

export function TestConnectionButton({ credential, onOutcome }: TestConnectionButtonProps) {
  const [running, setRunning] = useState(false);
  const test = async () => {
    setRunning(true);
    try {
      const result = await api.post<ConnectionTestResult>(`api/admin/accounts/${credential.accountId}/credentials/${credential.id}/test`);
      onOutcome({ credentialName: credential.name, result, error: null });
    } catch (err) {
      onOutcome({ credentialName: credential.name, result: null, error: err instanceof Error ? err : new Error(String(err)) });
    } finally {
      setRunning(false);
    }
  };
  return (
    <Button
      size="small"
      variant="outlined"
      onClick={() => void test()}
      disabled={running}
      startIcon={running ? <CircularProgress size={14} /> : undefined}
      aria-label={`Test connection of ${credential.name}`}
      data-testid="credential-test"
      sx={{ whiteSpace: 'nowrap' }}
    >
      {running ? 'Testing…' : 'Test connection'}
    </Button>
  );
}
