// The limits of a new key, exactly the ones the server's schema takes: requests and tokens per
// minute, and a budget in dollars and/or tokens per day, month or in total. Empty means no limit
// on the key itself (the admin's per-role limits still apply).
import { FormLabel, Stack, TextField } from '@mui/material';
import { BudgetPeriodSelect } from '../../../components';
import type { FieldsProps } from './key-form-fields';

type NumberField = 'rpm' | 'tpm' | 'budgetUsd' | 'budgetTokens';

const LABELS: Record<NumberField, string> = {
  rpm: 'Requests per minute',
  tpm: 'Tokens per minute',
  budgetUsd: 'Budget (USD)',
  budgetTokens: 'Budget (tokens)',
};

function NumberInput({ field, form, errors, onChange }: FieldsProps & { field: NumberField }) {
  return (
    <TextField
      label={LABELS[field]}
      type="number"
      size="small"
      fullWidth
      value={form[field]}
      onChange={(e) => onChange({ [field]: e.target.value })}
      error={!!errors[field]}
      helperText={errors[field] ?? 'No limit'}
      slotProps={{ htmlInput: { min: field === 'budgetUsd' ? 0.01 : 1, step: field === 'budgetUsd' ? 0.01 : 1, 'data-testid': `key-${field}` } }}
    />
  );
}

export function LimitFields(props: FieldsProps) {
  const { form, onChange } = props;
  return (
    <Stack spacing={2}>
      <FormLabel component="legend">Limits</FormLabel>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
        <NumberInput field="rpm" {...props} />
        <NumberInput field="tpm" {...props} />
      </Stack>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
        <NumberInput field="budgetUsd" {...props} />
        <NumberInput field="budgetTokens" {...props} />
        <BudgetPeriodSelect label="Budget period" fullWidth value={form.budgetPeriod} onChange={(budgetPeriod) => onChange({ budgetPeriod })} />
      </Stack>
    </Stack>
  );
}
