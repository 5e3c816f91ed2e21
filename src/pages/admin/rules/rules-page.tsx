// /admin/rules: who may use which model. The rules as a table, the same rules as an editable YAML
// file, and an explain tool that answers "may this caller use this model, and why".
import { useState } from 'react';
import { Box, Tab, Tabs } from '@mui/material';
import { PageHeader } from '../../../components';
import { RulesTable } from './rules-table';
import { RulesYamlEditor } from './rules-yaml-editor';
import { ExplainTool } from './explain-tool';

type RulesTab = 'table' | 'yaml' | 'explain';

export function RulesPage() {
  const [tab, setTab] = useState<RulesTab>('table');
  return (
    <>
      <PageHeader
        title="Access rules"
        subtitle="Rules allow or deny models (account/model patterns) to users, roles, API keys and components. A matching deny rule wins over any allow rule; with no match, the default policy decides."
      />
      <Box sx={{ borderBottom: 1, borderColor: 'divider', mb: 2 }}>
        <Tabs value={tab} onChange={(_e, next: RulesTab) => setTab(next)} variant="scrollable" allowScrollButtonsMobile aria-label="Rules views">
          <Tab value="table" label="Rules" data-testid="rules-tab-table" />
          <Tab value="yaml" label="YAML" data-testid="rules-tab-yaml" />
          <Tab value="explain" label="Explain" data-testid="rules-tab-explain" />
        </Tabs>
      </Box>
      {/* Each tab loads fresh when shown, so the table reflects a save made in the YAML tab. */}
      {tab === 'table' && <RulesTable />}
      {tab === 'yaml' && <RulesYamlEditor />}
      {tab === 'explain' && <ExplainTool />}
    </>
  );
}
