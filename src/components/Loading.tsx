// A centred spinner with an accessible name, for a page or a panel that is still loading.
import { Box, CircularProgress, Typography } from '@mui/material';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <Box role="status" aria-live="polite" data-testid="loading" sx={{ display: 'flex', alignItems: 'center', gap: 2, py: 6, justifyContent: 'center' }}>
      <CircularProgress size={24} aria-label={label} />
      <Typography color="text.secondary">{label}</Typography>
    </Box>
  );
}
