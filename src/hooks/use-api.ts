// Loads one GET path into component state; `null` means "nothing to load yet" (e.g. no account chosen).
// A newer path or reload wins over an older answer, so a slow response never overwrites a fresh one.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api';

export interface ApiState<T> {
  data: T | undefined;
  error: Error | null;
  loading: boolean;
  reload(): void;
}

export function useApi<T>(path: string | null): ApiState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [generation, setGeneration] = useState(0);
  const shownPath = useRef<string | null>(null);

  useEffect(() => {
    if (path === null) {
      shownPath.current = null;
      setData(undefined);
      setError(null);
      setLoading(false);
      return;
    }
    let current = true;
    // Data of another path must not show while this one loads; a reload of the same path keeps it.
    if (shownPath.current !== path) setData(undefined);
    setLoading(true);
    api
      .get<T>(path)
      .then((answer) => {
        if (!current) return;
        shownPath.current = path;
        setData(answer);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!current) return;
        setError(err instanceof Error ? err : new Error(String(err)));
      })
      .finally(() => {
        if (current) setLoading(false);
      });
    return () => {
      current = false;
    };
  }, [path, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, error, loading, reload };
}
