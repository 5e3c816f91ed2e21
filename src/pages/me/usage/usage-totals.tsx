// The five headline figures of the chosen period, as cards that wrap on a phone.
import { Box, Paper, Typography } from '@mui/material';
import { formatCount, formatUsd } from '../parts/format';
import type { UsageFigures } from './usage-types';

const CARDS: Array<{ id: string; label: string; value(t: UsageFigures): string }> = [
  { id: 'requests', label: 'Requests', value: (t) => formatCount(t.requests) },
  { id: 'tokens-in', label: 'Tokens in', value: (t) => formatCount(t.promptTokens) },
  { id: 'tokens-out', label: 'Tokens out', value: (t) => formatCount(t.completionTokens) },
  { id: 'cost', label: 'Cost', value: (t) => formatUsd(t.costUsd) },
  { id: 'errors', label: 'Errors', value: (t) => formatCount(t.errors) },
];

export function UsageTotals({ totals }: { totals: UsageFigures }) {
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: 'repeat(2, 1fr)', sm: 'repeat(3, 1fr)', md: 'repeat(5, 1fr)' }, mb: 3 }}>
      {CARDS.map((card) => (
        <Paper key={card.id} variant="outlined" sx={{ p: 2 }}>
          <Typography variant="body2" color="text.secondary">
            {card.label}
          </Typography>
          <Typography variant="h6" component="p" data-testid={`usage-total-${card.id}`} sx={{ fontWeight: 600 }}>
            {card.value(totals)}
          </Typography>
        </Paper>
      ))}
    </Box>
  );
}
