// Every API key matching the server-side filters (owner DID, revoked or not), read in pages of 500
// so the page can filter by name and status and page locally. Stops at MAX_KEYS and says so.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../../api';
import type { ApiKeyView, PagedResponse } from '../parts/api-types';

const PAGE = 500;
export const MAX_KEYS = 10_000;

export interface AllKeys {
  keys: ApiKeyView[] | undefined;
  total: number;
  error: Error | null;
  loading: boolean;
  reload(): void;
}

export function useAllKeys(owner: string, includeRevoked: boolean): AllKeys {
  const [keys, setKeys] = useState<ApiKeyView[] | undefined>(undefined);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    setLoading(true);
    (async () => {
      const collected: ApiKeyView[] = [];
      let count = 0;
      do {
        const params = new URLSearchParams({ limit: String(PAGE), offset: String(collected.length), includeRevoked: String(includeRevoked) });
        if (owner) params.set('owner', owner);
        const page = await api.get<PagedResponse<ApiKeyView>>(`api/admin/keys?${params}`);
        collected.push(...page.data);
        count = page.total;
        if (!page.data.length) break;
      } while (collected.length < count && collected.length < MAX_KEYS && current);
      return { collected, count };
    })()
      .then(({ collected, count }) => {
        if (!current) return;
        setKeys(collected);
        setTotal(count);
        setError(null);
      })
      .catch((err: unknown) => current && setError(err instanceof Error ? err : new Error(String(err))))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [owner, includeRevoked, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { keys, total, error, loading, reload };
}
