// /admin/settings: the keyring (data-key versions and rotation) and the gateway-wide settings.
import { Stack, Typography } from '@mui/material';
import { PageHeader } from '../../../components';
import { KeyringPanel } from './keyring-panel';
import { SettingsForm } from './settings-form';

export function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" subtitle="Encryption keys, the default access policy, key lifetimes and default limits." />
      <Stack spacing={4}>
        <Stack spacing={1} component="section" aria-labelledby="keyring-heading">
          <Typography id="keyring-heading" variant="h6" component="h2">
            Encryption keyring
          </Typography>
          <KeyringPanel />
        </Stack>
        <Stack spacing={1} component="section" aria-labelledby="settings-heading">
          <Typography id="settings-heading" variant="h6" component="h2">
            Policy and limits
          </Typography>
          <SettingsForm />
        </Stack>
      </Stack>
    </>
  );
}
