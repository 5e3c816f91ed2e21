// The admin pages (owner and admin only: the shell shows them in the navigation for those roles and
// answers any /admin URL with "not allowed" for everyone else). The Overview comes first.
import DashboardOutlined from '@mui/icons-material/DashboardOutlined';
import CloudOutlined from '@mui/icons-material/CloudOutlined';
import ViewListOutlined from '@mui/icons-material/ViewListOutlined';
import GavelOutlined from '@mui/icons-material/GavelOutlined';
import VpnKeyOutlined from '@mui/icons-material/VpnKeyOutlined';
import InsightsOutlined from '@mui/icons-material/InsightsOutlined';
import HistoryOutlined from '@mui/icons-material/HistoryOutlined';
import SettingsOutlined from '@mui/icons-material/SettingsOutlined';
import type { PageDef } from '../types';
import { OverviewPage } from './overview/overview-page';
import { ProvidersPage } from './providers/providers-page';
import { ModelsPage } from './models/models-page';
import { RulesPage } from './rules/rules-page';
import { KeysPage } from './keys/keys-page';
import { UsagePage } from './usage/usage-page';
import { AuditPage } from './audit/audit-page';
import { SettingsPage } from './settings/settings-page';

export const adminPages: PageDef[] = [
  { path: '/admin', title: 'Overview', icon: <DashboardOutlined />, element: <OverviewPage /> },
  { path: '/admin/providers', title: 'Providers', icon: <CloudOutlined />, element: <ProvidersPage /> },
  { path: '/admin/models', title: 'Models and prices', icon: <ViewListOutlined />, element: <ModelsPage /> },
  { path: '/admin/rules', title: 'Access rules', icon: <GavelOutlined />, element: <RulesPage /> },
  { path: '/admin/keys', title: 'API keys', icon: <VpnKeyOutlined />, element: <KeysPage /> },
  { path: '/admin/usage', title: 'Usage', icon: <InsightsOutlined />, element: <UsagePage /> },
  { path: '/admin/audit', title: 'Audit log', icon: <HistoryOutlined />, element: <AuditPage /> },
  { path: '/admin/settings', title: 'Settings', icon: <SettingsOutlined />, element: <SettingsPage /> },
];
