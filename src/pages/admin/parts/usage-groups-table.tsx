// One row per model / user / key / account of a usage summary, busiest first (the server's order).
import { Tooltip } from '@mui/material';
import { DataTable, type DataColumn } from '../../../components';
import type { UsageGroup, UsageGroupBy } from './api-types';
import { formatCount, formatUsd, shortenId } from './format';

const GROUP_LABEL: Record<UsageGroupBy, string> = { model: 'Model', user: 'User', key: 'API key', account: 'Account' };
/** What a group without a key means, per grouping. */
const NO_KEY: Record<UsageGroupBy, string> = {
  model: '(no model)',
  user: '(unknown user)',
  key: '(login session, no key)',
  account: '(no account reached)',
};

/** "account/model" may wrap after its "/", never at the hyphens inside either part. */
function BreakAfterSlash({ text }: { text: string }) {
  const slash = text.indexOf('/');
  if (slash < 0) return <span style={{ whiteSpace: 'nowrap' }}>{text}</span>;
  return (
    <span>
      <span style={{ whiteSpace: 'nowrap' }}>{text.slice(0, slash + 1)}</span>
      <wbr />
      <span style={{ whiteSpace: 'nowrap' }}>{text.slice(slash + 1)}</span>
    </span>
  );
}

function groupName(group: UsageGroup, by: UsageGroupBy): React.ReactNode {
  if (group.key === null) return NO_KEY[by];
  const text = by === 'account' ? (group.label ?? group.key) : group.key;
  // DIDs and ids are long: shortened in the cell, whole in the tooltip.
  return by === 'user' || by === 'key' ? (
    <Tooltip title={group.key}>
      <span style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>{shortenId(text)}</span>
    </Tooltip>
  ) : (
    <BreakAfterSlash text={text} />
  );
}

interface UsageGroupsTableProps {
  groups: UsageGroup[];
  by: UsageGroupBy;
  pageSize?: number;
  /** For half-width cards: tokens and errors only where there is room. */
  compact?: boolean;
  testId?: string;
}

export function UsageGroupsTable({ groups, by, pageSize, compact, testId }: UsageGroupsTableProps) {
  const columns: Array<DataColumn<UsageGroup>> = [
    { key: 'key', label: GROUP_LABEL[by], render: (g) => groupName(g, by) },
    { key: 'requests', label: 'Requests', align: 'right', render: (g) => formatCount(g.requests) },
    { key: 'tokens', label: 'Tokens', align: 'right', hideOnPhone: true, render: (g) => formatCount(g.promptTokens + g.completionTokens) },
    { key: 'cost', label: 'Cost', align: 'right', render: (g) => formatUsd(g.costUsd) },
    ...(compact ? [] : [{ key: 'errors', label: 'Errors', align: 'right' as const, hideOnPhone: true, render: (g: UsageGroup) => formatCount(g.errors) }]),
  ];
  return (
    <DataTable
      columns={columns}
      rows={groups}
      rowKey={(g) => g.key ?? '(none)'}
      pageSize={pageSize}
      emptyText="No calls in this period."
      label={`Usage by ${GROUP_LABEL[by].toLowerCase()}`}
      data-testid={testId}
    />
  );
}
