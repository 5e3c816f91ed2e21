// Issues login tokens for standalone runs: the same HS256 JWT Blocklet Server issues, signed with the
// session secret, so the SDK session middleware verifies it exactly as under the server.
import jwt from 'jsonwebtoken';
import type { Role } from './login-user';

export interface LoginTokenClaims {
  did: string;
  role: Role;
  fullName?: string;
}

export function issueLoginToken(claims: LoginTokenClaims, sessionSecret: string, expiresIn: jwt.SignOptions['expiresIn'] = '7d'): string {
  const payload = { type: 'user', did: claims.did, role: claims.role, fullName: claims.fullName ?? claims.role, provider: 'wallet', walletOS: 'web', kyc: 0 };
  return jwt.sign(payload, sessionSecret, { algorithm: 'HS256', expiresIn });
}
