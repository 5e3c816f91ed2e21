// An error in words: the server's own error.message (ApiError), plus a hint when the session ended.
// Renders nothing when there is no error, so pages can write <ErrorAlert error={error} /> unconditionally.
import type { ReactNode } from 'react';
import { Alert, AlertTitle } from '@mui/material';
import { ApiError } from '../api';

export interface ErrorAlertProps {
  error: Error | string | null | undefined;
  title?: string;
  action?: ReactNode;
}

function hintFor(error: Error | string): string | null {
  if (!(error instanceof ApiError)) return null;
  if (error.status === 401) return 'Your session may have ended: sign in again.';
  if (error.status === 403) return 'Your role does not allow this.';
  return null;
}

export function ErrorAlert({ error, title, action }: ErrorAlertProps) {
  if (!error) return null;
  const message = typeof error === 'string' ? error : error.message || 'Something went wrong.';
  const hint = hintFor(error);
  return (
    <Alert severity="error" role="alert" data-testid="error-alert" action={action} sx={{ my: 2 }}>
      {title ? <AlertTitle>{title}</AlertTitle> : null}
      {message}
      {hint ? ` ${hint}` : null}
    </Alert>
  );
}
