// Who is signed in, as the server sees it: GET /api/session (user + CSRF token), for standalone and
// Blocklet Server alike. Under Blocklet Server the DID Connect bridge (src/session/blocklet-bridge.tsx,
// loaded lazily) supplies login/logout; this file never imports the Blocklet libraries itself.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, onSessionExpired, setCsrfToken } from './api';

export interface SessionUser {
  did: string;
  role: string;
}

export interface Session {
  user: SessionUser | null;
  isAdmin: boolean;
  loading: boolean;
  csrfToken: string | null;
  /** Re-reads GET /api/session (after a login, or when a call answered 401). */
  refresh(): Promise<void>;
  logout(): Promise<void>;
  /** Under Blocklet Server: opens the server's DID Connect login. Null standalone (login is a link). */
  login: (() => void) | null;
}

interface SessionAnswer {
  user: { did: string; role: string } | null;
  csrfToken: string | null;
}

/** How a host (Blocklet Server) signs in and out; standalone uses POST /logout and the /login link. */
export interface SessionHost {
  /** Resolves once the host's login finished (the login cookie is then set). */
  login: (() => Promise<void>) | null;
  logout: () => Promise<void>;
  /** Changes when the host's own session changes (e.g. sign-out from its header): the session re-reads. */
  userKey?: string | null;
}

export const ADMIN_ROLES: ReadonlySet<string> = new Set(['owner', 'admin']);

const SessionContext = createContext<Session | null>(null);

const standaloneHost: SessionHost = {
  login: null,
  logout: async () => {
    await api.post('logout');
  },
};

export function SessionProvider({ children, host = standaloneHost }: { children: ReactNode; host?: SessionHost }) {
  const [user, setUser] = useState<SessionUser | null>(null);
  const [csrfToken, setToken] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  const refresh = useCallback(async () => {
    try {
      const answer = await api.get<SessionAnswer>('api/session');
      setUser(answer.user ? { did: answer.user.did, role: answer.user.role } : null);
      setToken(answer.csrfToken);
      setCsrfToken(answer.csrfToken);
    } catch {
      // Fail closed: an unreadable session is treated as signed out.
      setUser(null);
      setToken(null);
      setCsrfToken(null);
    } finally {
      setLoading(false);
    }
  }, []);

  const logout = useCallback(async () => {
    try {
      await host.logout();
    } finally {
      setCsrfToken(null);
      await refresh();
    }
  }, [host, refresh]);

  const hostLogin = host.login;
  const login = useMemo(
    () =>
      hostLogin
        ? () => {
            void hostLogin().then(refresh);
          }
        : null,
    [hostLogin, refresh],
  );

  useEffect(() => {
    void refresh();
  }, [refresh, host.userKey]);

  useEffect(() => onSessionExpired(() => void refresh()), [refresh]);

  const value = useMemo<Session>(
    () => ({ user, isAdmin: !!user && ADMIN_ROLES.has(user.role), loading, csrfToken, refresh, logout, login }),
    [user, loading, csrfToken, refresh, logout, login],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>.');
  return session;
}
