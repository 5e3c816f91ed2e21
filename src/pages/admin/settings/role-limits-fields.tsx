// Default limits per role, for each user of that role across all their keys and sessions: requests
// and tokens per minute, concurrent calls, and a budget (dollars and/or tokens per day, month or in
// total). Empty means no limit.
import { Paper, Table, TableBody, TableCell, TableContainer, TableHead, TableRow, TextField } from '@mui/material';
import { BudgetPeriodSelect } from '../../../components';
import { LIMIT_ROLES, type LimitRole } from '../parts/api-types';
import type { FieldErrors } from '../parts/use-submit';
import type { RoleLimitValues } from './settings-form-values';

const COLUMNS: Array<{ field: Exclude<keyof RoleLimitValues, 'budgetPeriod'>; label: string; path: string }> = [
  { field: 'rpm', label: 'Requests / min', path: 'rpm' },
  { field: 'tpm', label: 'Tokens / min', path: 'tpm' },
  { field: 'concurrency', label: 'Concurrent', path: 'concurrency' },
  { field: 'budgetUsd', label: 'Budget $', path: 'budget.usd' },
  { field: 'budgetTokens', label: 'Budget tokens', path: 'budget.tokens' },
];

interface RoleLimitsFieldsProps {
  limits: Record<LimitRole, RoleLimitValues>;
  errors: FieldErrors;
  onChange(role: LimitRole, next: RoleLimitValues): void;
}

export function RoleLimitsFields({ limits, errors, onChange }: RoleLimitsFieldsProps) {
  return (
    <Paper variant="outlined">
      <TableContainer sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="Default limits per role">
          <TableHead>
            <TableRow>
              <TableCell sx={{ fontWeight: 600 }}>Role</TableCell>
              {COLUMNS.map((c) => (
                <TableCell key={c.field} sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>
                  {c.label}
                </TableCell>
              ))}
              <TableCell sx={{ fontWeight: 600 }}>Budget period</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {LIMIT_ROLES.map((role) => {
              const values = limits[role];
              const errorAt = (path: string) => errors[`defaultLimits.${role}.${path}`] ?? (path.startsWith('budget') ? errors[`defaultLimits.${role}.budget`] : undefined);
              return (
                <TableRow key={role} data-testid={`limits-${role}`}>
                  <TableCell sx={{ fontWeight: 600 }}>{role}</TableCell>
                  {COLUMNS.map((c) => (
                    <TableCell key={c.field} sx={{ minWidth: 110 }}>
                      <TextField
                        size="small"
                        type="number"
                        placeholder="none"
                        value={values[c.field]}
                        onChange={(e) => onChange(role, { ...values, [c.field]: e.target.value })}
                        error={Boolean(errorAt(c.path))}
                        helperText={errorAt(c.path)}
                        slotProps={{ htmlInput: { min: 0, 'aria-label': `${role} ${c.label}`, 'data-testid': `limit-${role}-${c.field}` } }}
                      />
                    </TableCell>
                  ))}
                  <TableCell sx={{ minWidth: 120 }}>
                    <BudgetPeriodSelect
                      value={values.budgetPeriod}
                      onChange={(budgetPeriod) => onChange(role, { ...values, budgetPeriod })}
                      disabled={!values.budgetUsd && !values.budgetTokens}
                      ariaLabel={`${role} budget period`}
                    />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </TableContainer>
    </Paper>
  );
}
