// Under Blocklet Server only (loaded with a dynamic import from main.tsx): DID Connect through the
// server's session service and the server's Header. Login and logout go through DID Connect; the
// shell still asks GET /api/session who is signed in, so roles come from Keyhold's own identify step.
import { useContext, useMemo, type ReactNode } from 'react';
import { createAuthServiceSessionContext } from '@arcblock/did-connect-react/lib/Session';
import Header from '@blocklet/ui-react/lib/Header';
import type { SessionHost } from '../session';
import type { HostChrome, HostHeaderProps } from './host';

const { SessionProvider, SessionContext } = createAuthServiceSessionContext();

function BlockletHeader({ prepend }: HostHeaderProps) {
  return <Header prepend={prepend} maxWidth={false} bordered />;
}

const chrome: HostChrome = { Header: BlockletHeader };

function Bridge({ render }: { render: (host: SessionHost, chrome: HostChrome) => ReactNode }) {
  const { session } = useContext(SessionContext);
  const userKey = session.user?.did ?? null;
  const host = useMemo<SessionHost>(
    () => ({
      login: () => new Promise<void>((resolve) => session.login(() => resolve())),
      logout: () => new Promise<void>((resolve) => session.logout(() => resolve())),
      userKey,
    }),
    // session's methods are stable; a new user is what must re-read GET /api/session.
    [userKey],
  );
  return <>{render(host, chrome)}</>;
}

export function BlockletRoot({ render }: { render: (host: SessionHost, chrome: HostChrome) => ReactNode }) {
  return (
    <SessionProvider serviceHost={window.blocklet?.prefix ?? '/'}>
      <Bridge render={render} />
    </SessionProvider>
  );
}
