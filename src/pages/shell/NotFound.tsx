// An unknown path inside the console (the server sends index.html for deep links; the router decides).
import { Link as RouterLink, useLocation } from 'react-router-dom';
import { Box, Button, Typography } from '@mui/material';

export function NotFound() {
  const { pathname } = useLocation();
  return (
    <Box data-testid="not-found" sx={{ textAlign: 'center', py: 8, px: 2 }}>
      <Typography variant="h4" component="h1" sx={{ fontWeight: 700 }}>
        Page not found
      </Typography>
      <Typography color="text.secondary" sx={{ mt: 1, wordBreak: 'break-all' }}>
        There is no page at <code>{pathname}</code>.
      </Typography>
      <Button component={RouterLink} to="/" variant="contained" sx={{ mt: 3 }}>
        Go home
      </Button>
    </Box>
  );
}
