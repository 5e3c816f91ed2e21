// The price table (US dollars per million input / output tokens), edited in place and saved whole
// with PUT /api/admin/prices. Costs of calls already made do not change; new calls use the new prices.
import { useEffect, useState } from 'react';
import {
  Alert, Button, IconButton, InputAdornment, Paper, Stack, Table, TableBody, TableCell, TableContainer, TableHead, TablePagination, TableRow, TextField, Typography,
} from '@mui/material';
import Add from '@mui/icons-material/Add';
import DeleteOutline from '@mui/icons-material/DeleteOutline';
import Search from '@mui/icons-material/Search';
import { api } from '../../../api';
import { ErrorAlert, Loading } from '../../../components';
import { useApi } from '../../../hooks/use-api';
import type { PriceTableResponse } from '../parts/api-types';
import { useSubmit } from '../parts/use-submit';
import { newPriceRow, toPriceRows, toPriceTable, validatePriceRows, type PriceRow, type RowErrors } from './price-rows';

const PAGE_SIZE = 25;

export function PricesEditor() {
  const prices = useApi<PriceTableResponse>('api/admin/prices');
  const [rows, setRows] = useState<PriceRow[]>([]);
  const [dirty, setDirty] = useState(false);
  const [rowErrors, setRowErrors] = useState<RowErrors>({});
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(0);
  const [saved, setSaved] = useState(false);
  const submit = useSubmit();

  useEffect(() => {
    if (prices.data) setRows(toPriceRows(prices.data.data));
    setDirty(false);
  }, [prices.data]);

  const edit = (rowId: number, change: Partial<PriceRow>) => {
    setRows((current) => current.map((row) => (row.rowId === rowId ? { ...row, ...change } : row)));
    setDirty(true);
    setSaved(false);
  };
  const addRow = () => {
    setRows((current) => [newPriceRow(), ...current]);
    setFilter('');
    setPage(0);
    setDirty(true);
  };
  const removeRow = (rowId: number) => {
    setRows((current) => current.filter((row) => row.rowId !== rowId));
    setDirty(true);
  };
  const save = async () => {
    const { errors, tableError } = validatePriceRows(rows);
    setRowErrors(errors);
    if (Object.keys(errors).length || tableError) return submit.setFieldErrors(tableError ? { table: tableError } : {});
    const answer = await submit.run(() => api.put<PriceTableResponse>('api/admin/prices', { data: toPriceTable(rows) }));
    if (!answer) return;
    setRows(toPriceRows(answer.data));
    setDirty(false);
    setSaved(true);
  };

  if (prices.error) return <ErrorAlert error={prices.error} />;
  if (!prices.data) return <Loading label="Loading prices…" />;
  const needle = filter.trim().toLowerCase();
  const visible = needle ? rows.filter((row) => row.model.toLowerCase().includes(needle)) : rows;
  const shown = visible.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const errorCount = Object.keys(rowErrors).length;

  return (
    <Stack spacing={2} data-testid="prices-editor">
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'center' } }}>
        <TextField
          size="small"
          placeholder="Filter models"
          value={filter}
          onChange={(e) => {
            setFilter(e.target.value);
            setPage(0);
          }}
          slotProps={{ input: { startAdornment: <InputAdornment position="start"><Search fontSize="small" /></InputAdornment> }, htmlInput: { 'aria-label': 'Filter models' } }}
        />
        <Typography variant="body2" color="text.secondary" sx={{ flex: 1 }}>
          {rows.length} priced models, USD per 1M tokens. A call is priced by account/model, then its public name, then the upstream name.
        </Typography>
        <Button startIcon={<Add />} onClick={addRow} data-testid="price-add">
          Add model
        </Button>
        <Button variant="contained" onClick={() => void save()} disabled={!dirty || submit.busy} data-testid="prices-save">
          Save prices
        </Button>
      </Stack>
      {errorCount > 0 && <Alert severity="error">{errorCount} row{errorCount === 1 ? ' needs' : 's need'} fixing before saving.</Alert>}
      <ErrorAlert error={submit.fieldErrors.table ?? submit.error} />
      {saved && <Alert severity="success" onClose={() => setSaved(false)}>Prices saved.</Alert>}
      <Paper variant="outlined">
        <TableContainer sx={{ overflowX: 'auto' }}>
          <Table size="small" aria-label="Prices">
            <TableHead>
              <TableRow>
                <TableCell sx={{ fontWeight: 600 }}>Model</TableCell>
                <TableCell sx={{ fontWeight: 600, width: 140 }}>Input $ / 1M</TableCell>
                <TableCell sx={{ fontWeight: 600, width: 140 }}>Output $ / 1M</TableCell>
                <TableCell sx={{ width: 48 }} />
              </TableRow>
            </TableHead>
            <TableBody>
              {shown.map((row) => (
                <TableRow key={row.rowId} data-testid="price-row">
                  <TableCell sx={{ minWidth: 200 }}>
                    <TextField
                      size="small"
                      fullWidth
                      value={row.model}
                      onChange={(e) => edit(row.rowId, { model: e.target.value })}
                      error={Boolean(rowErrors[row.rowId])}
                      helperText={rowErrors[row.rowId]}
                      slotProps={{ htmlInput: { 'aria-label': 'Model name', 'data-testid': 'price-model' } }}
                    />
                  </TableCell>
                  {(['input', 'output'] as const).map((field) => (
                    <TableCell key={field}>
                      <TextField
                        size="small"
                        type="number"
                        value={row[field]}
                        onChange={(e) => edit(row.rowId, { [field]: e.target.value })}
                        slotProps={{ htmlInput: { min: 0, step: 'any', 'aria-label': `${field} price`, 'data-testid': `price-${field}` } }}
                      />
                    </TableCell>
                  ))}
                  <TableCell>
                    <IconButton size="small" aria-label={`Remove ${row.model || 'row'}`} onClick={() => removeRow(row.rowId)}>
                      <DeleteOutline fontSize="small" />
                    </IconButton>
                  </TableCell>
                </TableRow>
              ))}
              {!shown.length && (
                <TableRow>
                  <TableCell colSpan={4} sx={{ textAlign: 'center', py: 4, color: 'text.secondary' }}>
                    {needle ? 'No model matches the filter.' : 'No prices: calls are recorded with cost 0.'}
                  </TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </TableContainer>
        {visible.length > PAGE_SIZE && (
          <TablePagination component="div" count={visible.length} page={page} onPageChange={(_e, next: number) => setPage(next)} rowsPerPage={PAGE_SIZE} rowsPerPageOptions={[PAGE_SIZE]} />
        )}
      </Paper>
    </Stack>
  );
}
