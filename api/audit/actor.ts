// Who did something, as the audit trail records it. Built from the request's verified user, or a
// fixed system/CLI actor. Never from raw x-user-* headers.
export interface Actor {
  did: string;
  role: string;
  /** How the actor authenticated: loginToken, apiKey, componentCall, cli, system, anonymous. */
  method: string;
  ip: string | null;
  requestId: string | null;
}

export const SYSTEM_ACTOR: Actor = { did: 'system', role: 'system', method: 'system', ip: null, requestId: null };
export const CLI_ACTOR: Actor = { did: 'cli', role: 'owner', method: 'cli', ip: null, requestId: null };
