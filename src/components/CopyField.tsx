// A value shown in monospace with a copy button. Used for the one-time API key secret, so it keeps the
// value only in the DOM it was given: nothing is written to storage, and the clipboard is the user's act.
import { useState } from 'react';
import { Box, IconButton, Stack, Tooltip, Typography } from '@mui/material';
import ContentCopy from '@mui/icons-material/ContentCopy';
import Check from '@mui/icons-material/Check';

export interface CopyFieldProps {
  value: string;
  label: string;
  'data-testid'?: string;
}

// navigator.clipboard exists only in secure contexts (https or localhost); plain http falls back.
async function copyText(text: string): Promise<boolean> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through to the selection-based copy
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  return ok;
}

export function CopyField({ value, label, 'data-testid': testId }: CopyFieldProps) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = async () => setCopied(await copyText(value));
  return (
    <Box>
      <Typography variant="caption" color="text.secondary" component="div" sx={{ mb: 0.5 }}>
        {label}
      </Typography>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', bgcolor: 'action.hover', borderRadius: 1, pl: 1.5, pr: 0.5, py: 0.5 }}>
        <Box
          component="code"
          data-testid={testId}
          sx={{ fontFamily: 'monospace', fontSize: 14, wordBreak: 'break-all', flex: 1, userSelect: 'all' }}
        >
          {value}
        </Box>
        <Tooltip title={copied === null ? 'Copy' : copied ? 'Copied' : 'Copy failed: select the text and copy it'}>
          <IconButton aria-label={`Copy ${label}`} onClick={() => void copy()} size="small" data-testid="copy-button">
            {copied ? <Check fontSize="small" color="success" /> : <ContentCopy fontSize="small" />}
          </IconButton>
        </Tooltip>
      </Stack>
    </Box>
  );
}
