// /admin/models: the models each account serves (and their aliases), and the price table that turns
// tokens into cost.
import { Stack, Typography } from '@mui/material';
import { PageHeader } from '../../../components';
import { AccountModels } from './account-models';
import { PricesEditor } from './prices-editor';

export function ModelsPage() {
  return (
    <>
      <PageHeader title="Models and prices" subtitle="What callers can ask for, and what each call costs." />
      <Stack spacing={4}>
        <Stack spacing={1} component="section" aria-labelledby="models-heading">
          <Typography id="models-heading" variant="h6" component="h2">
            Models by account
          </Typography>
          <AccountModels />
        </Stack>
        <Stack spacing={1} component="section" aria-labelledby="prices-heading">
          <Typography id="prices-heading" variant="h6" component="h2">
            Prices
          </Typography>
          <PricesEditor />
        </Stack>
      </Stack>
    </>
  );
}
