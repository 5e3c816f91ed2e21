// What a list says when it has nothing yet: a title, why, and usually the action that fills it.
import type { ReactNode } from 'react';
import { Box, Typography } from '@mui/material';
import InboxOutlined from '@mui/icons-material/InboxOutlined';

export interface EmptyStateProps {
  title: string;
  hint?: ReactNode;
  action?: ReactNode;
}

export function EmptyState({ title, hint, action }: EmptyStateProps) {
  return (
    <Box
      data-testid="empty-state"
      sx={{ textAlign: 'center', py: 6, px: 2, border: 1, borderColor: 'divider', borderStyle: 'dashed', borderRadius: 2 }}
    >
      <InboxOutlined color="disabled" sx={{ fontSize: 40 }} />
      <Typography variant="subtitle1" sx={{ mt: 1, fontWeight: 600 }}>
        {title}
      </Typography>
      {hint ? (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5, maxWidth: 480, mx: 'auto' }}>
          {hint}
        </Typography>
      ) : null}
      {action ? <Box sx={{ mt: 2 }}>{action}</Box> : null}
    </Box>
  );
}
