// Types for the parts of the Blocklet libraries the shell uses that ship without declarations.
declare module '@arcblock/did-connect-react/lib/Session' {
  import type { Context, ComponentType, ReactNode } from 'react';

  export interface DidConnectSession {
    user: { did: string; role?: string } | null;
    loading: boolean;
    login(done?: () => void): void;
    logout(done?: () => void): void;
  }

  export function createAuthServiceSessionContext(options?: { storageEngine?: 'cookie' | 'localStorage' }): {
    SessionProvider: ComponentType<{ serviceHost?: string; children?: ReactNode; autoLogin?: boolean }>;
    SessionContext: Context<{ session: DidConnectSession }>;
  };
}

interface Window {
  /** Defined by Blocklet Server's __blocklet__.js; absent standalone. */
  blocklet?: { prefix?: string; appName?: string; [key: string]: unknown };
}
