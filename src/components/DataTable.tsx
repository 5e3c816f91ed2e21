// A MUI table with client-side paging (long lists never render all at once) and an empty text.
// Scrolls sideways on phones; columns marked `hideOnPhone` drop out below the sm breakpoint.
import { useEffect, useState, type ReactNode } from 'react';
import {
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TablePagination,
  TableRow,
  Typography,
} from '@mui/material';

export interface DataColumn<T> {
  /** Unique per table; also the row field shown when there is no `render`. */
  key: string;
  label: ReactNode;
  render?: (row: T) => ReactNode;
  align?: 'left' | 'right' | 'center';
  width?: number | string;
  hideOnPhone?: boolean;
}

export interface DataTableProps<T> {
  columns: Array<DataColumn<T>>;
  rows: T[];
  /** A field name holding a unique value, or a function returning one. */
  rowKey: keyof T | ((row: T) => string | number);
  pageSize?: number;
  /** Shown in place of the rows when there are none. */
  emptyText?: ReactNode;
  empty?: ReactNode;
  onRowClick?: (row: T) => void;
  'data-testid'?: string;
  /** Accessible name of the table. */
  label?: string;
}

function cellValue<T>(row: T, column: DataColumn<T>): ReactNode {
  if (column.render) return column.render(row);
  const value = (row as Record<string, unknown>)[column.key];
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

const phoneHidden = { display: { xs: 'none', sm: 'table-cell' } } as const;

export function DataTable<T>(props: DataTableProps<T>) {
  const { columns, rows, rowKey, pageSize = 25, onRowClick, label } = props;
  const [page, setPage] = useState(0);
  const [perPage, setPerPage] = useState(pageSize);
  const lastPage = Math.max(0, Math.ceil(rows.length / perPage) - 1);

  // A filter or a delete can shrink the list under the current page.
  useEffect(() => {
    if (page > lastPage) setPage(lastPage);
  }, [page, lastPage]);

  const keyOf = (row: T): string | number =>
    typeof rowKey === 'function' ? rowKey(row) : String((row as Record<string, unknown>)[rowKey as string]);
  const shown = rows.slice(page * perPage, page * perPage + perPage);
  const empty = props.empty ?? props.emptyText ?? 'Nothing here yet.';

  return (
    <Paper variant="outlined" data-testid={props['data-testid']}>
      <TableContainer sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label={label}>
          <TableHead>
            <TableRow>
              {columns.map((c) => (
                <TableCell key={c.key} align={c.align} sx={{ fontWeight: 600, width: c.width, whiteSpace: 'nowrap', ...(c.hideOnPhone ? phoneHidden : {}) }}>
                  {c.label}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {shown.length === 0 ? (
              <TableRow>
                <TableCell colSpan={columns.length} sx={{ py: 4, textAlign: 'center' }}>
                  {typeof empty === 'string' ? <Typography color="text.secondary">{empty}</Typography> : empty}
                </TableCell>
              </TableRow>
            ) : (
              shown.map((row) => (
                <TableRow
                  key={keyOf(row)}
                  hover
                  data-testid={`row-${keyOf(row)}`}
                  onClick={onRowClick ? () => onRowClick(row) : undefined}
                  sx={onRowClick ? { cursor: 'pointer' } : undefined}
                >
                  {columns.map((c) => (
                    <TableCell key={c.key} align={c.align} sx={c.hideOnPhone ? phoneHidden : undefined}>
                      {cellValue(row, c)}
                    </TableCell>
                  ))}
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
      </TableContainer>
      {rows.length > perPage || perPage !== pageSize ? (
        <TablePagination
          component="div"
          count={rows.length}
          page={Math.min(page, lastPage)}
          onPageChange={(_e, next: number) => setPage(next)}
          rowsPerPage={perPage}
          rowsPerPageOptions={[10, 25, 50, 100]}
          onRowsPerPageChange={(e) => {
            setPerPage(Number(e.target.value));
            setPage(0);
          }}
        />
      ) : null}
    </Paper>
  );
}
