// Status in one word and a colour, for credentials and for an account as a whole (enabled, and
// whether its credentials can serve calls).
import { Chip } from '@mui/material';
import type { AccountView, CredentialView } from '../parts/api-types';

type ChipColor = 'success' | 'error' | 'warning' | 'default';

const CREDENTIAL_STATUS: Record<string, { label: string; color: ChipColor }> = {
  active: { label: 'Active', color: 'success' },
  disabled: { label: 'Disabled', color: 'default' },
  error: { label: 'Failing', color: 'error' },
};

export function CredentialStatusChip({ credential }: { credential: CredentialView }) {
  const known = CREDENTIAL_STATUS[credential.status] ?? { label: credential.status, color: 'warning' as const };
  return <Chip size="small" label={known.label} color={known.color} variant="outlined" data-testid="credential-status" />;
}

function accountHealth(account: AccountView, credentials: CredentialView[] | undefined): { label: string; color: ChipColor } {
  if (!account.enabled) return { label: 'Disabled', color: 'default' };
  if (!credentials) return { label: 'Enabled', color: 'default' };
  if (!credentials.length) return { label: 'No credentials', color: 'warning' };
  const active = credentials.filter((c) => c.status === 'active').length;
  const failing = credentials.filter((c) => c.status === 'error').length;
  if (active === credentials.length) return { label: 'Healthy', color: 'success' };
  if (!active) return { label: failing ? 'All credentials failing' : 'All credentials disabled', color: 'error' };
  return { label: `${active} of ${credentials.length} credentials active`, color: 'warning' };
}

interface AccountStatusChipProps {
  account: AccountView;
  credentials: CredentialView[] | undefined;
  testId?: string;
}

export function AccountStatusChip({ account, credentials, testId = 'account-status' }: AccountStatusChipProps) {
  const health = accountHealth(account, credentials);
  return <Chip size="small" label={health.label} color={health.color} data-testid={testId} />;
}
