// A masked credential or key prefix exactly as the API returned it, in monospace. It never unmasks:
// the UI only ever receives masked values.
import { Box } from '@mui/material';

export function Masked({ value }: { value: string | null | undefined }) {
  return (
    <Box component="span" sx={{ fontFamily: 'monospace', fontSize: '0.875em', whiteSpace: 'nowrap' }}>
      {value || '—'}
    </Box>
  );
}
