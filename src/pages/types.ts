// One navigable page: the shell builds the drawer and the routes from arrays of these.
import type { ReactNode } from 'react';

export interface PageDef {
  /** Absolute app path without the mount prefix, e.g. "/keys" or "/admin/providers". */
  path: string;
  title: string;
  icon: ReactNode;
  element: ReactNode;
}
