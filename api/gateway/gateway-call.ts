// One /v1 call as the handlers see it: who is calling, where to answer, and when the client left.
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Principal } from '../identity/principal';

export interface GatewayCall {
  principal: Principal;
  requestId: string;
  res: ServerResponse;
  /**
   * Headers of the answer, as name, value, name, value: the request id, then the x-ratelimit-*
   * headers once the call is admitted. The answer writes them with its status line in one
   * writeHead. Nothing on the lean path calls res.setHeader: the first one makes Node keep a
   * header table that every later header, and writeHead, goes through one by one.
   */
  headers: string[];
  /** Aborted when the client disconnects before the answer is complete; passed to the upstream request. */
  signal: ClientAbortSignal;
  /** performance.now() when the request arrived. */
  startedAt: number;
  /** Unix milliseconds when the request arrived. */
  startedAtEpoch: number;
}

/**
 * Emits 'abort' (and reads aborted) once the client went away before the answer finished. undici
 * takes an EventEmitter as a request's signal; one per call costs a fraction of an AbortController,
 * whose EventTarget machinery showed in the gateway's profile.
 */
export class ClientAbortSignal extends EventEmitter {
  aborted = false;
}

export function watchClientAbort(res: ServerResponse): ClientAbortSignal {
  const signal = new ClientAbortSignal();
  res.once('close', () => {
    if (res.writableFinished) return;
    signal.aborted = true;
    signal.emit('abort');
  });
  return signal;
}
