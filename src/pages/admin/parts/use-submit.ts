// Runs one write (save, delete, test...) for a form or a button: busy flag, and the server's error
// split into the field it names (ApiError.param, shown under that input) or a message for the form.
import { useCallback, useState } from 'react';
import { ApiError } from '../../../api';

export type FieldErrors = Record<string, string>;

export interface Submit {
  busy: boolean;
  /** An error no visible field could hold, in words. */
  error: Error | null;
  fieldErrors: FieldErrors;
  /** Runs `action`; on failure keeps the error and resolves to undefined instead of throwing. */
  run<T>(action: () => Promise<T>): Promise<T | undefined>;
  setFieldErrors(errors: FieldErrors): void;
  reset(): void;
}

/** The field a server param belongs to: `enabledModels.3` is shown on `enabledModels`. */
function fieldFor(param: string, fields: readonly string[]): string | null {
  const exact = fields.find((field) => field === param);
  if (exact) return exact;
  return fields.filter((field) => param.startsWith(`${field}.`)).sort((a, b) => b.length - a.length)[0] ?? null;
}

/** The server writes "param: reason"; under the field the reason alone reads better. */
export function messageWithoutParam(message: string, param: string | null): string {
  return param && message.startsWith(`${param}: `) ? message.slice(param.length + 2) : message;
}

/** `fields`: the names of the inputs this form shows, as the API spells them. */
export function useSubmit(fields: readonly string[] = []): Submit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const fieldList = fields.join('\n');

  const run = useCallback(
    async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setError(null);
      setFieldErrors({});
      try {
        return await action();
      } catch (err) {
        const field = err instanceof ApiError && err.param ? fieldFor(err.param, fieldList ? fieldList.split('\n') : []) : null;
        if (field && err instanceof ApiError) setFieldErrors({ [field]: messageWithoutParam(err.message, err.param) });
        else setError(err instanceof Error ? err : new Error('Something went wrong.'));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [fieldList],
  );

  const reset = useCallback(() => {
    setError(null);
    setFieldErrors({});
  }, []);

  return { busy, error, fieldErrors, run, setFieldErrors, reset };
}
