// The signed-in user as the request carries it after the SDK session middleware verified its login
// token. Anything else on the request (x-user-* headers) is never read as identity.
import type { Request } from 'express';

export type Role = 'owner' | 'admin' | 'member' | 'guest';
export const ROLES: readonly Role[] = ['owner', 'admin', 'member', 'guest'];

export interface LoginUser {
  did: string;
  role: string;
  fullName?: string;
  method: string;
}

export function loginUserOf(req: Request): LoginUser | null {
  const user: unknown = (req as Request & { user?: unknown }).user;
  if (!user || typeof user !== 'object') return null;
  const { did, role, fullName, method } = user as Record<string, unknown>;
  if (typeof did !== 'string' || !did || typeof role !== 'string') return null;
  return { did, role, fullName: typeof fullName === 'string' ? fullName : undefined, method: typeof method === 'string' ? method : 'loginToken' };
}

export function isAdminRole(role: string): boolean {
  return role === 'owner' || role === 'admin';
}
