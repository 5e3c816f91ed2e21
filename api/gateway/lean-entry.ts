// The /v1 hot path without Express: request id, one credential, API key verification against the
// in-memory index, then the route. Login tokens and component calls need the SDK's session and
// signature middleware, so those requests are handed to the Express app, which serves /v1 too.
import { performance } from 'node:perf_hooks';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import proxyAddr from 'proxy-addr';
import type { AppContext } from '../context';
import { AuthenticationRequired, CredentialsAmbiguous } from '../errors';
import { presentedCredentials, principalOfKey, recordAuthFailure } from '../identity/identify';
import { verifyApiKey } from '../identity/verify-api-key';
import { FORGEABLE_IDENTITY_HEADER } from '../identity/session';
import type { Gateway } from './gateway';
import { watchClientAbort, type GatewayCall } from './gateway-call';
import { dispatchGatewayRoute } from './routes';
import { readJsonBody } from './read-json-body';
import { requestIdFrom } from '../http/request-context';
import { toKeyholdError, writeError } from './respond';

// How long the rest of a refused body may take to arrive (read and dropped) before the socket goes.
const LINGER_MS = 1000;

/**
 * A request answered before its body was read (413 past the cap, 401 first). Node's server reads
 * the rest of the body and drops it, as the body it is (its length or chunks say where it ends), so
 * the connection can serve the next request. Destroying the socket at once instead made the kernel
 * answer the body still arriving with a reset, and a client still sending it saw "socket hang up"
 * instead of the answer. What is bounded here is how long that reading may take.
 */
function lingerOverUnreadBody(req: IncomingMessage): void {
  if (req.complete) return;
  req.resume();
  const timer = setTimeout(() => {
    if (!req.complete) req.socket.destroy();
  }, LINGER_MS).unref();
  req.once('end', () => clearTimeout(timer));
}

export function createLeanGatewayEntry(ctx: AppContext, gateway: Gateway, fallback: RequestListener): RequestListener {
  // Same proxy trust as Express's `trust proxy`: Blocklet Server's router on loopback, nothing standalone.
  const trust = proxyAddr.compile(ctx.config.mode === 'blocklet' ? 'loopback' : []);
  const clientIp =
    ctx.config.mode === 'blocklet' ? (req: IncomingMessage): string => proxyAddr(req, trust) : (req: IncomingMessage): string => req.socket.remoteAddress ?? 'unknown';

  /** `headers`: the answer's (GatewayCall.headers), shared with the error handler below. */
  async function handle(req: IncomingMessage, res: ServerResponse, headers: string[]): Promise<void> {
    const startedAt = performance.now();
    for (const name of Object.keys(req.headers)) if (FORGEABLE_IDENTITY_HEADER.test(name)) delete req.headers[name];
    const presented = presentedCredentials(req.headers);
    if (presented.length > 1) throw new CredentialsAmbiguous();
    const [credential] = presented;
    if (credential && credential.kind !== 'key') return void fallback(req, res);
    const requestId = requestIdFrom(req.headers['x-request-id']);
    headers.push('x-request-id', requestId);
    if (!credential) throw new AuthenticationRequired();
    const ip = clientIp(req);
    const blockCheck = ctx.failures.assertNotBlocked(ip);
    if (blockCheck) await blockCheck;
    let principal;
    try {
      const record = verifyApiKey(credential.token, ctx.keyIndex, ctx.keyHasher);
      ctx.keyIndex.touch(record.id, ip);
      principal = principalOfKey(record);
    } catch (err) {
      await recordAuthFailure(ctx, { ip, method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0], requestId }, 'apiKey', err);
      throw err;
    }
    const call: GatewayCall = { principal, requestId, res, headers, signal: watchClientAbort(res), startedAt, startedAtEpoch: Date.now() };
    await dispatchGatewayRoute(gateway, call, req, () => readJsonBody(req, ctx.config.gateway.maxBodyBytes));
  }

  return (req, res) => {
    const headers: string[] = [];
    handle(req, res, headers).catch((err: unknown) => {
      const error = toKeyholdError(err);
      if (error.code === 'ERR_INTERNAL') ctx.log.error({ err, path: (req.url ?? '/').split('?')[0] }, 'unhandled /v1 error');
      writeError(res, error, headers);
      if (!req.complete) res.once('finish', () => lingerOverUnreadBody(req));
    });
  };
}
