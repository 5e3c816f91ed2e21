// One /v1 call as the handlers see it: who is calling, where to answer, and when the client left.
import type { ServerResponse } from 'node:http';
import type { Principal } from '../identity/principal';

export interface GatewayCall {
  principal: Principal;
  requestId: string;
  res: ServerResponse;
  /** Aborted when the client disconnects before the answer is complete; passed to the upstream request. */
  signal: AbortSignal;
  /** performance.now() when the request arrived. */
  startedAt: number;
  /** Unix milliseconds when the request arrived. */
  startedAtEpoch: number;
}

/** An AbortSignal that fires when the client goes away before `res` finished. */
export function watchClientAbort(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
