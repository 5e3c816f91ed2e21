// The console: theme, router under the app's mount prefix, session, and the routes built from the page
// arrays. Admin routes exist only for owner/admin; anyone else on /admin/* gets the NotAllowed page.
import { Route, Routes, BrowserRouter, useLocation } from 'react-router-dom';
import { CssBaseline, ThemeProvider } from '@mui/material';
import { basePath } from './api';
import { SessionProvider, useSession, type SessionHost } from './session';
import { HostContext, type HostChrome } from './session/host';
import { theme } from './theme';
import { ErrorBoundary, Loading } from './components';
import { adminPages } from './pages/admin';
import { userPages } from './pages/me';
import { Layout } from './pages/shell/Layout';
import { SignIn } from './pages/shell/SignIn';
import { NotAllowed } from './pages/shell/NotAllowed';
import { NotFound } from './pages/shell/NotFound';
import { Home } from './pages/shell/Home';

function SignedInRoutes() {
  const { isAdmin } = useSession();
  const { pathname } = useLocation();
  return (
    <Layout userPages={userPages} adminPages={adminPages}>
      {/* keyed by path: a page that crashed recovers when the user navigates away */}
      <ErrorBoundary key={pathname}>
        <Routes>
          <Route path="/" element={<Home userPages={userPages} adminPages={adminPages} />} />
          {userPages.map((page) => (
            <Route key={page.path} path={page.path} element={page.element} />
          ))}
          {isAdmin ? adminPages.map((page) => <Route key={page.path} path={page.path} element={page.element} />) : null}
          <Route path="/admin/*" element={isAdmin ? <NotFound /> : <NotAllowed />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </ErrorBoundary>
    </Layout>
  );
}

function Gate() {
  const { user, loading } = useSession();
  if (loading) return <Loading label="Checking your session…" />;
  return user ? <SignedInRoutes /> : <SignIn />;
}

export interface AppProps {
  host?: SessionHost;
  chrome?: HostChrome;
}

export function App({ host, chrome = { Header: null } }: AppProps) {
  // BrowserRouter wants the prefix without its trailing slash ("" standalone).
  const basename = basePath().replace(/\/$/, '');
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <BrowserRouter basename={basename}>
        <HostContext.Provider value={chrome}>
          <SessionProvider host={host}>
            <Gate />
          </SessionProvider>
        </HostContext.Provider>
      </BrowserRouter>
    </ThemeProvider>
  );
}
