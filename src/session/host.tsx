// What the hosting environment adds to the shell. Standalone: nothing. Under Blocklet Server the lazily
// loaded blocklet-root.tsx provides the server's Header; this file imports no Blocklet library.
import { createContext, useContext, type ComponentType, type ReactNode } from 'react';

export interface HostHeaderProps {
  /** Rendered at the header's start: the shell's menu button on phones. */
  prepend: ReactNode;
}

export interface HostChrome {
  Header: ComponentType<HostHeaderProps> | null;
}

export const HostContext = createContext<HostChrome>({ Header: null });

export function useHost(): HostChrome {
  return useContext(HostContext);
}

/** True when the page runs under Blocklet Server, which defines window.blocklet before the app loads. */
export function isBlockletHost(): boolean {
  const blocklet: unknown = (window as { blocklet?: unknown }).blocklet;
  return typeof blocklet === 'object' && blocklet !== null;
}
