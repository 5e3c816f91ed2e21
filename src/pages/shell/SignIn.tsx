// Shown to anyone not signed in. Standalone: how to get a login link (the owner link printed at start,
// or a token from the CLI). Under Blocklet Server: the server's DID Connect login.
import { useState } from 'react';
import { Alert, Box, Button, Paper, Stack, TextField, Typography } from '@mui/material';
import Wallet from '@mui/icons-material/AccountBalanceWallet';
import { api } from '../../api';
import { useSession } from '../../session';

function Code({ children }: { children: string }) {
  return (
    <Box component="code" sx={{ display: 'block', fontFamily: 'monospace', fontSize: 13, bgcolor: 'action.hover', p: 1, borderRadius: 1, overflowX: 'auto', whiteSpace: 'pre' }}>
      {children}
    </Box>
  );
}

function StandaloneHelp() {
  const [token, setToken] = useState('');
  // The token goes to /login in the URL once; the server swaps it for an httpOnly cookie and redirects
  // away, so it stays out of storage and out of this page.
  const signIn = () => window.location.assign(`${api.url('login')}?token=${encodeURIComponent(token.trim())}`);
  return (
    <Stack spacing={2}>
      <Typography>
        Open the <strong>Owner login</strong> link Keyhold printed when it started (<code>Owner login: http://…/login?token=…</code>).
      </Typography>
      <Typography>To sign in as someone else, make a login token on the server:</Typography>
      <Code>npm run keyhold -- login-token --role member --did &lt;did&gt;</Code>
      <Typography>
        then open <code>/login?token=&lt;token&gt;</code>, or paste the token here:
      </Typography>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} component="form" onSubmit={(e) => { e.preventDefault(); if (token.trim()) signIn(); }}>
        <TextField
          label="Login token"
          type="password"
          autoComplete="off"
          size="small"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          fullWidth
          slotProps={{ htmlInput: { 'data-testid': 'login-token-input' } }}
        />
        <Button type="submit" variant="contained" disabled={!token.trim()} data-testid="login-token-submit" sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}>
          Sign in
        </Button>
      </Stack>
      <Typography variant="body2" color="text.secondary">
        Roles: <code>owner</code> and <code>admin</code> manage providers, rules and keys; <code>member</code> manages its own keys.
      </Typography>
    </Stack>
  );
}

export function SignIn() {
  const { login } = useSession();
  return (
    <Box sx={{ minHeight: '100vh', display: 'grid', placeItems: 'center', p: 2, bgcolor: 'background.default' }}>
      <Paper variant="outlined" sx={{ p: { xs: 3, sm: 4 }, maxWidth: 560, width: '100%' }} data-testid="sign-in">
        <Typography variant="h5" component="h1" sx={{ fontWeight: 700, mb: 1 }}>
          Sign in to Keyhold
        </Typography>
        <Typography color="text.secondary" sx={{ mb: 3 }}>
          Keyhold keeps your organisation's AI provider credentials encrypted and lets you call models with your own API keys.
        </Typography>
        {login ? (
          <Stack spacing={2}>
            <Button variant="contained" size="large" startIcon={<Wallet />} onClick={login} data-testid="connect-did-wallet">
              Connect DID Wallet
            </Button>
            <Alert severity="info">Sign-in goes through your Blocklet Server with DID Connect.</Alert>
          </Stack>
        ) : (
          <StandaloneHelp />
        )}
      </Paper>
    </Box>
  );
}
