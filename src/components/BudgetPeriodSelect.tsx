// The period a budget counts over, as one select: the key form and the role defaults both use it.
import { MenuItem, TextField } from '@mui/material';

export type BudgetPeriod = 'day' | 'month' | 'total';

export interface BudgetPeriodSelectProps {
  value: BudgetPeriod;
  onChange: (period: BudgetPeriod) => void;
  label?: string;
  ariaLabel?: string;
  disabled?: boolean;
  fullWidth?: boolean;
}

export function BudgetPeriodSelect({ value, onChange, label, ariaLabel, disabled, fullWidth }: BudgetPeriodSelectProps) {
  return (
    <TextField
      select
      size="small"
      label={label}
      fullWidth={fullWidth}
      value={value}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value as BudgetPeriod)}
      slotProps={ariaLabel ? { htmlInput: { 'aria-label': ariaLabel } } : undefined}
    >
      <MenuItem value="day">per day</MenuItem>
      <MenuItem value="month">per month</MenuItem>
      <MenuItem value="total">in total</MenuItem>
    </TextField>
  );
}
