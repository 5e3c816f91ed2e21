// The shared building blocks every page uses: `import { PageHeader, DataTable } from '../../components'`.
// Notes for page authors:
// - ConfirmDialog: onConfirm may return a promise; the dialog shows progress, shows a thrown error in words
//   and stays open, and calls onClose itself once it resolves. Buttons: data-testid confirm-button / confirm-cancel.
// - CopyField: pass data-testid (e.g. "new-key-secret"); it lands on the <code> element holding the value.
// - DataTable: columns [{ key, label, render?, align?, hideOnPhone? }], rowKey (field name or function),
//   pageSize (25), emptyText; each row gets data-testid="row-<key>".
// - ErrorAlert accepts an Error, a string or null (renders nothing); ApiError messages are the server's words.
export { PageHeader, type PageHeaderProps } from './PageHeader';
export { Loading } from './Loading';
export { ErrorAlert, type ErrorAlertProps } from './ErrorAlert';
export { EmptyState, type EmptyStateProps } from './EmptyState';
export { ConfirmDialog, type ConfirmDialogProps } from './ConfirmDialog';
export { CopyField, type CopyFieldProps } from './CopyField';
export { Masked } from './Masked';
export { TimeAgo, formatTimeAgo, type TimeAgoProps } from './TimeAgo';
export { DataTable, type DataColumn, type DataTableProps } from './DataTable';
export { ErrorBoundary } from './ErrorBoundary';
export { BudgetPeriodSelect, type BudgetPeriod, type BudgetPeriodSelectProps } from './BudgetPeriodSelect';
