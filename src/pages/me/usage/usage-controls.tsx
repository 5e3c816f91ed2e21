// The usage page's pickers (period, interval, grouping) and the CSV download of the period's records.
import { Button, MenuItem, Stack, TextField, ToggleButton, ToggleButtonGroup } from '@mui/material';
import Download from '@mui/icons-material/Download';
import { api } from '../../../api';
import { PERIODS, csvPath, type UsageChoice, type UsagePeriod, type UsageRange } from './usage-query';
import type { UsageGroupBy, UsageInterval } from './usage-types';

export interface UsageControlsProps {
  choice: UsageChoice;
  range: UsageRange;
  onChange(next: UsageChoice): void;
}

export function UsageControls({ choice, range, onChange }: UsageControlsProps) {
  const setPeriod = (period: UsagePeriod) => {
    const preset = PERIODS.find((p) => p.value === period);
    onChange({ ...choice, period, interval: preset?.interval ?? choice.interval });
  };
  return (
    <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ mb: 3, alignItems: { md: 'center' } }}>
      <ToggleButtonGroup
        size="small"
        exclusive
        value={choice.period}
        onChange={(_e, next: UsagePeriod | null) => next && setPeriod(next)}
        aria-label="Period: the last"
        sx={{ flexWrap: 'wrap' }}
      >
        {PERIODS.map((p) => (
          <ToggleButton key={p.value} value={p.value} data-testid={`usage-period-${p.value}`}>
            {p.label}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      <Stack direction="row" spacing={2} sx={{ flex: 1 }}>
        <TextField select size="small" label="Interval" value={choice.interval} onChange={(e) => onChange({ ...choice, interval: e.target.value as UsageInterval })} sx={{ minWidth: 120 }}>
          <MenuItem value="hour">By hour</MenuItem>
          <MenuItem value="day">By day</MenuItem>
        </TextField>
        <TextField select size="small" label="Group by" value={choice.groupBy} onChange={(e) => onChange({ ...choice, groupBy: e.target.value as UsageGroupBy })} sx={{ minWidth: 140 }}>
          <MenuItem value="model">Model</MenuItem>
          <MenuItem value="key">API key</MenuItem>
          <MenuItem value="account">Provider account</MenuItem>
        </TextField>
      </Stack>
      {/* A plain link: the server answers with content-disposition: attachment, so the browser downloads it. */}
      <Button component="a" href={api.url(csvPath(range))} download variant="outlined" startIcon={<Download />} data-testid="usage-csv">
        Export CSV
      </Button>
    </Stack>
  );
}
