// The signed-in frame: top bar, a permanent drawer at desktop widths, a temporary one behind the menu
// button on phones, and the page itself in <main>.
import { useState, type ReactNode } from 'react';
import { Box, Drawer, Toolbar } from '@mui/material';
import { useSession } from '../../session';
import { useHost } from '../../session/host';
import type { PageDef } from '../types';
import { NavList } from './NavList';
import { TopBar } from './TopBar';

const DRAWER_WIDTH = 240;

export function Layout({ userPages, adminPages, children }: { userPages: PageDef[]; adminPages: PageDef[]; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const { isAdmin } = useSession();
  const { Header } = useHost();
  // The standalone AppBar is fixed and needs a spacer; the Blocklet Header sits in the flow above.
  const spacer = Header ? null : <Toolbar />;
  const nav = <NavList userPages={userPages} adminPages={adminPages} isAdmin={isAdmin} onNavigate={() => setOpen(false)} />;

  return (
    <Box data-testid="app-shell" sx={{ minHeight: '100vh', bgcolor: 'background.default' }}>
      <TopBar onOpenNav={() => setOpen(true)} />
      <Box sx={{ display: 'flex' }}>
        <Drawer
          variant="permanent"
          data-testid="nav-drawer"
          // Sticky inside a full-height column (not fixed): the column's border and background run
          // the whole length of a long page, and the list stays in view while it scrolls.
          sx={{
            display: { xs: 'none', md: 'block' },
            width: DRAWER_WIDTH,
            flexShrink: 0,
            bgcolor: 'background.paper',
            borderRight: 1,
            borderColor: 'divider',
            '& .MuiDrawer-paper': { width: DRAWER_WIDTH, boxSizing: 'border-box', position: 'sticky', top: 0, height: '100vh', borderRight: 'none' },
          }}
        >
          {spacer}
          {nav}
        </Drawer>
        <Drawer
          variant="temporary"
          open={open}
          onClose={() => setOpen(false)}
          ModalProps={{ keepMounted: false }}
          data-testid="nav-drawer-mobile"
          sx={{ display: { xs: 'block', md: 'none' }, '& .MuiDrawer-paper': { width: DRAWER_WIDTH } }}
        >
          {/* the top bar stays above the temporary drawer too: keep the list below it */}
          {spacer}
          {nav}
        </Drawer>
        <Box component="main" sx={{ flexGrow: 1, minWidth: 0, p: { xs: 2, sm: 3 } }}>
          {spacer}
          {children}
        </Box>
      </Box>
    </Box>
  );
}
