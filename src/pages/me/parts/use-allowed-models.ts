// The models the signed-in user may call, from GET /v1/models: the server filters the catalog by the
// access rules, so whatever this returns is exactly what a picker may offer.
import { useMemo } from 'react';
import { useApi } from '../../../hooks/use-api';

interface ModelEntry {
  id: string;
  owned_by: string;
}

export interface AllowedModels {
  /** Fully qualified names first (account/model), then the bare names any allowed account serves. */
  ids: string[];
  loading: boolean;
  error: Error | null;
  reload(): void;
}

/** `enabled: false` loads nothing (a closed dialog need not ask). */
export function useAllowedModels(enabled = true): AllowedModels {
  const { data, loading, error, reload } = useApi<{ data: ModelEntry[] }>(enabled ? 'v1/models' : null);
  const ids = useMemo(() => {
    const entries = data?.data ?? [];
    const qualified = entries.filter((m) => m.id.includes('/')).map((m) => m.id);
    const bare = entries.filter((m) => !m.id.includes('/')).map((m) => m.id);
    return [...qualified, ...bare];
  }, [data]);
  return { ids, loading, error, reload };
}
