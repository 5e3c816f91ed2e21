// The standalone top bar: menu button (phones), product name, who is signed in (shortened DID + role), sign-out.
// Under Blocklet Server the server's Header (session manager included) takes its place.
import { AppBar, Box, Button, Chip, IconButton, Toolbar, Tooltip, Typography } from '@mui/material';
import MenuIcon from '@mui/icons-material/Menu';
import Logout from '@mui/icons-material/Logout';
import { useSession } from '../../session';
import { useHost } from '../../session/host';

export function shortenDid(did: string): string {
  return did.length > 16 ? `${did.slice(0, 8)}…${did.slice(-6)}` : did;
}

export function MenuButton({ onOpen }: { onOpen: () => void }) {
  return (
    <IconButton
      edge="start"
      aria-label="Open navigation"
      data-testid="nav-menu-button"
      onClick={onOpen}
      sx={{ mr: 1, display: { md: 'none' } }}
    >
      <MenuIcon />
    </IconButton>
  );
}

export function TopBar({ onOpenNav }: { onOpenNav: () => void }) {
  const { user, logout } = useSession();
  const { Header } = useHost();
  if (Header) return <Header prepend={<MenuButton onOpen={onOpenNav} />} />;
  return (
    <AppBar position="fixed" sx={{ borderBottom: 1, borderColor: 'divider', zIndex: (t) => t.zIndex.drawer + 1 }}>
      <Toolbar sx={{ gap: 1 }}>
        <MenuButton onOpen={onOpenNav} />
        <Typography variant="h6" component="div" sx={{ fontWeight: 700, flexGrow: 1 }}>
          Keyhold
        </Typography>
        {user ? (
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, minWidth: 0 }}>
            <Tooltip title={user.did}>
              <Typography variant="body2" data-testid="user-did" sx={{ fontFamily: 'monospace', display: { xs: 'none', sm: 'block' } }}>
                {shortenDid(user.did)}
              </Typography>
            </Tooltip>
            <Chip size="small" label={user.role} data-testid="user-role" />
            <Tooltip title="Sign out">
              <Button color="inherit" onClick={() => void logout()} data-testid="sign-out" aria-label="Sign out" startIcon={<Logout />} sx={{ minWidth: 0 }}>
                <Box component="span" sx={{ display: { xs: 'none', sm: 'inline' } }}>
                  Sign out
                </Box>
              </Button>
            </Tooltip>
          </Box>
        ) : null}
      </Toolbar>
    </AppBar>
  );
}
