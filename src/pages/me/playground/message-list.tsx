// The conversation as bubbles: the user's on the right, the model's on the left, growing while it
// streams, with token usage when the stream reported it and errors in words.
import { useEffect, useRef } from 'react';
import { Alert, Box, CircularProgress, Paper, Stack, Typography } from '@mui/material';
import type { Turn } from './use-chat';

function AssistantFooter({ turn }: { turn: Turn }) {
  if (turn.streaming) return <CircularProgress size={14} aria-label="Answer streaming" sx={{ mt: 1 }} />;
  const parts: string[] = [];
  if (turn.stopped) parts.push('Stopped');
  if (turn.usage) parts.push(`${turn.usage.promptTokens} tokens in, ${turn.usage.completionTokens} tokens out`);
  if (parts.length === 0) return null;
  return (
    <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 1 }} data-testid="turn-usage">
      {parts.join(' · ')}
    </Typography>
  );
}

function Bubble({ turn }: { turn: Turn }) {
  const mine = turn.role === 'user';
  return (
    <Box sx={{ display: 'flex', justifyContent: mine ? 'flex-end' : 'flex-start' }}>
      <Paper
        variant={mine ? 'elevation' : 'outlined'}
        elevation={0}
        data-testid={mine ? 'user-message' : 'assistant-message'}
        data-chunks={mine ? undefined : turn.chunks}
        data-streaming={turn.streaming ? 'true' : 'false'}
        sx={{ px: 2, py: 1.5, maxWidth: { xs: '90%', sm: '75%' }, bgcolor: mine ? 'primary.main' : 'background.paper', color: mine ? 'primary.contrastText' : 'text.primary' }}
      >
        {turn.content && (
          <Typography variant="body1" sx={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid={mine ? undefined : 'assistant-text'}>
            {turn.content}
          </Typography>
        )}
        {turn.error && (
          <Alert severity="error" data-testid="chat-error" sx={{ mt: turn.content ? 1 : 0 }}>
            {turn.error}
          </Alert>
        )}
        {!mine && <AssistantFooter turn={turn} />}
      </Paper>
    </Box>
  );
}

/** The conversation in its own scroll box, kept scrolled to the newest text while an answer grows. */
export function MessageList({ turns }: { turns: Turn[] }) {
  const box = useRef<HTMLDivElement | null>(null);
  const last = turns[turns.length - 1];
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [turns.length, last?.content]);

  return (
    <Paper ref={box} variant="outlined" sx={{ p: { xs: 1.5, sm: 2 }, minHeight: 240, maxHeight: { xs: '55vh', md: '60vh' }, overflowY: 'auto' }}>
      {turns.length === 0 ? (
        <Typography color="text.secondary" sx={{ py: 6, textAlign: 'center' }}>
          Pick a model, write a message and send it. The answer streams in as the model writes it.
        </Typography>
      ) : (
        <Stack spacing={1.5} aria-live="polite" data-testid="conversation">
          {turns.map((turn) => (
            <Bubble key={turn.id} turn={turn} />
          ))}
        </Stack>
      )}
    </Paper>
  );
}
