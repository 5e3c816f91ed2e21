// The period's usage per model, key or account, busiest first. Keys are shown by their name when
// the user still has them listed; the id otherwise.
import { useMemo } from 'react';
import { DataTable, type DataColumn } from '../../../components';
import { useApi } from '../../../hooks/use-api';
import { formatCount, formatUsd } from '../parts/format';
import type { KeyList } from '../keys/key-types';
import type { UsageGroup, UsageGroupBy } from './usage-types';

const NO_GROUP: Record<UsageGroupBy, string> = {
  model: '(no model)',
  key: 'Signed-in calls (no key)',
  account: 'No account reached',
};

const COLUMN_LABEL: Record<UsageGroupBy, string> = { model: 'Model', key: 'API key', account: 'Provider account' };

export function UsageGroupsTable({ groups, groupBy }: { groups: UsageGroup[]; groupBy: UsageGroupBy }) {
  const keys = useApi<KeyList>(groupBy === 'key' ? 'api/me/keys?includeRevoked=true&limit=200' : null);
  const keyNames = useMemo(() => new Map((keys.data?.data ?? []).map((k) => [k.id, k.name])), [keys.data]);

  const columns = useMemo<Array<DataColumn<UsageGroup>>>(() => {
    const nameOf = (g: UsageGroup): string => {
      if (g.key === null) return NO_GROUP[groupBy];
      if (groupBy === 'key') return keyNames.get(g.key) ?? g.key;
      return g.label ?? g.key;
    };
    const number = (key: string, label: string, value: (g: UsageGroup) => string, hideOnPhone = false): DataColumn<UsageGroup> => ({ key, label, align: 'right', render: value, hideOnPhone });
    return [
      { key: 'name', label: COLUMN_LABEL[groupBy], render: nameOf },
      number('requests', 'Requests', (g) => formatCount(g.requests)),
      number('promptTokens', 'Tokens in', (g) => formatCount(g.promptTokens), true),
      number('completionTokens', 'Tokens out', (g) => formatCount(g.completionTokens), true),
      number('costUsd', 'Cost', (g) => formatUsd(g.costUsd)),
      number('errors', 'Errors', (g) => formatCount(g.errors), true),
    ];
  }, [groupBy, keyNames]);

  return (
    <DataTable
      columns={columns}
      rows={groups}
      rowKey={(g) => g.key ?? '(none)'}
      label={`Usage by ${groupBy}`}
      data-testid="usage-table"
      emptyText="No calls in this period."
    />
  );
}
