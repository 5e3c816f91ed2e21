// "/" picks the right first page: the admin overview for owner/admin, the user's keys for members.
import { Navigate } from 'react-router-dom';
import { Typography } from '@mui/material';
import { useSession } from '../../session';
import type { PageDef } from '../types';

export function Home({ userPages, adminPages }: { userPages: PageDef[]; adminPages: PageDef[] }) {
  const { isAdmin } = useSession();
  const first = (isAdmin ? adminPages[0] : undefined) ?? userPages.find((p) => p.path === '/keys') ?? userPages[0];
  if (first) return <Navigate to={first.path} replace />;
  return <Typography data-testid="home-empty">Welcome to Keyhold. No pages are available yet.</Typography>;
}
