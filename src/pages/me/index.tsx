// The signed-in user's pages, for everyone with a login: the shell builds their navigation and routes.
import KeyOutlined from '@mui/icons-material/KeyOutlined';
import InsightsOutlined from '@mui/icons-material/InsightsOutlined';
import ChatOutlined from '@mui/icons-material/ChatOutlined';
import type { PageDef } from '../types';
import { KeysPage } from './keys/keys-page';
import { UsagePage } from './usage/usage-page';
import { PlaygroundPage } from './playground/playground-page';

export const userPages: PageDef[] = [
  { path: '/keys', title: 'My API keys', icon: <KeyOutlined />, element: <KeysPage /> },
  { path: '/usage', title: 'My usage', icon: <InsightsOutlined />, element: <UsagePage /> },
  { path: '/playground', title: 'Playground', icon: <ChatOutlined />, element: <PlaygroundPage /> },
];
