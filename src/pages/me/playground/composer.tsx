// The playground's inputs: model picker, system prompt, message box and the Send / Stop / Clear
// buttons. Enter sends, Shift+Enter is a new line.
import { useState, type HTMLAttributes } from 'react';
import { Button, MenuItem, Stack, TextField } from '@mui/material';
import Send from '@mui/icons-material/Send';
import StopCircle from '@mui/icons-material/StopCircleOutlined';
import DeleteSweep from '@mui/icons-material/DeleteSweepOutlined';

export interface ComposerProps {
  models: string[];
  model: string;
  onModel(model: string): void;
  system: string;
  onSystem(text: string): void;
  streaming: boolean;
  canClear: boolean;
  onSend(text: string): void;
  onStop(): void;
  onClear(): void;
}

export function ModelAndSystem({ models, model, onModel, system, onSystem }: Pick<ComposerProps, 'models' | 'model' | 'onModel' | 'system' | 'onSystem'>) {
  return (
    <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
      <TextField
        select
        label="Model"
        size="small"
        value={model}
        onChange={(e) => onModel(e.target.value)}
        sx={{ minWidth: { md: 280 } }}
        slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'model-picker' } as HTMLAttributes<HTMLDivElement> } }}
      >
        {models.map((id) => (
          <MenuItem key={id} value={id} data-testid={`model-option-${id}`}>
            {id}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        label="System prompt (optional)"
        size="small"
        fullWidth
        multiline
        maxRows={4}
        value={system}
        onChange={(e) => onSystem(e.target.value)}
        slotProps={{ htmlInput: { 'data-testid': 'system-prompt' } }}
      />
    </Stack>
  );
}

export function MessageBox({ streaming, canClear, onSend, onStop, onClear }: Pick<ComposerProps, 'streaming' | 'canClear' | 'onSend' | 'onStop' | 'onClear'>) {
  const [text, setText] = useState('');
  const send = () => {
    if (!text.trim() || streaming) return;
    onSend(text);
    setText('');
  };
  return (
    <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'flex-end' } }}>
      <TextField
        label="Message"
        fullWidth
        multiline
        minRows={1}
        maxRows={8}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            send();
          }
        }}
        slotProps={{ htmlInput: { 'data-testid': 'message-input' } }}
      />
      <Stack direction="row" spacing={1}>
        {streaming ? (
          <Button variant="outlined" color="warning" startIcon={<StopCircle />} onClick={onStop} data-testid="stop-button" sx={{ flex: { xs: 1, sm: 'none' } }}>
            Stop
          </Button>
        ) : (
          <Button variant="contained" startIcon={<Send />} onClick={send} disabled={!text.trim()} data-testid="send-button" sx={{ flex: { xs: 1, sm: 'none' } }}>
            Send
          </Button>
        )}
        <Button startIcon={<DeleteSweep />} onClick={onClear} disabled={!canClear} data-testid="clear-button" aria-label="Clear conversation">
          Clear
        </Button>
      </Stack>
    </Stack>
  );
}
