// The drawer's navigation: the user's pages for everyone signed in, the admin pages for owner/admin only.
import { NavLink } from 'react-router-dom';
import { List, ListItemButton, ListItemIcon, ListItemText, ListSubheader } from '@mui/material';
import type { PageDef } from '../types';

function testIdOf(path: string): string {
  return `nav-${path.replace(/^\//, '').replace(/\//g, '-') || 'home'}`;
}

function Section({ title, pages, testId, onNavigate }: { title: string; pages: PageDef[]; testId: string; onNavigate: () => void }) {
  if (pages.length === 0) return null;
  return (
    <List dense data-testid={testId} subheader={<ListSubheader disableSticky>{title}</ListSubheader>}>
      {pages.map((page) => (
        <ListItemButton
          key={page.path}
          component={NavLink}
          to={page.path}
          // The overview at /admin must not stay highlighted on /admin/providers.
          end={page.path === '/admin'}
          onClick={onNavigate}
          data-testid={testIdOf(page.path)}
          sx={{ borderRadius: 1, mx: 1, '&.active': { bgcolor: 'action.selected', '& .MuiListItemIcon-root': { color: 'primary.main' } } }}
        >
          <ListItemIcon sx={{ minWidth: 36 }}>{page.icon}</ListItemIcon>
          <ListItemText primary={page.title} />
        </ListItemButton>
      ))}
    </List>
  );
}

export interface NavListProps {
  userPages: PageDef[];
  adminPages: PageDef[];
  isAdmin: boolean;
  onNavigate: () => void;
}

export function NavList({ userPages, adminPages, isAdmin, onNavigate }: NavListProps) {
  return (
    <nav aria-label="Main navigation">
      <Section title="My account" pages={userPages} testId="nav-section-user" onNavigate={onNavigate} />
      {isAdmin ? <Section title="Administration" pages={adminPages} testId="nav-section-admin" onNavigate={onNavigate} /> : null}
    </nav>
  );
}
