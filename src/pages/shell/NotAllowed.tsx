// What a signed-in user without the needed role sees instead of an admin page (the page is never rendered).
import { Link as RouterLink } from 'react-router-dom';
import { Box, Button, Typography } from '@mui/material';
import Block from '@mui/icons-material/Block';
import { useSession } from '../../session';

export function NotAllowed({ needed = 'owner or admin' }: { needed?: string }) {
  const { user } = useSession();
  return (
    <Box data-testid="not-allowed" sx={{ textAlign: 'center', py: 8, px: 2 }}>
      <Block color="error" sx={{ fontSize: 48 }} />
      <Typography variant="h4" component="h1" sx={{ fontWeight: 700, mt: 1 }}>
        Not allowed
      </Typography>
      <Typography color="text.secondary" sx={{ mt: 1, maxWidth: 520, mx: 'auto' }}>
        This page needs the <strong>{needed}</strong> role. You are signed in as <strong>{user?.role ?? 'nobody'}</strong>. Ask
        the owner of this Keyhold if you need access.
      </Typography>
      <Button component={RouterLink} to="/" variant="contained" sx={{ mt: 3 }} data-testid="go-home">
        Go to my pages
      </Button>
    </Box>
  );
}
