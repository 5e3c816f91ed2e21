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

export function assignGatewayRequestId(req: IncomingMessage, res: ServerResponse): string {
  const id = requestIdFrom(req.headers['x-request-id']);
  res.setHeader('x-request-id', id);
  return id;
}

// How long the rest of a refused body is read and dropped, so the client gets to read the answer.
const LINGER_MS = 1000;

/**
 * Closes the connection of a request whose body was left unread. Destroying the socket at once
 * would make the kernel answer the body still arriving with a reset, and a client still sending it
 * (a chunked body past the cap) would see "socket hang up" instead of the 413: so the write side is
 * closed, what still arrives is dropped, and the socket goes after LINGER_MS at most.
 */
function closeAfterUnreadBody(req: IncomingMessage): void {
  const socket = req.socket;
  socket.end();
  req.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

export function createLeanGatewayEntry(ctx: AppContext, gateway: Gateway, fallback: RequestListener): RequestListener {
  // Same proxy trust as Express's `trust proxy`: Blocklet Server's router on loopback, nothing standalone.
  const trust = proxyAddr.compile(ctx.config.mode === 'blocklet' ? 'loopback' : []);
  const clientIp =
    ctx.config.mode === 'blocklet' ? (req: IncomingMessage): string => proxyAddr(req, trust) : (req: IncomingMessage): string => req.socket.remoteAddress ?? 'unknown';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    for (const name of Object.keys(req.headers)) if (FORGEABLE_IDENTITY_HEADER.test(name)) delete req.headers[name];
    const presented = presentedCredentials(req.headers);
    if (presented.length > 1) throw new CredentialsAmbiguous();
    const [credential] = presented;
    if (credential && credential.kind !== 'key') return void fallback(req, res);
    const requestId = assignGatewayRequestId(req, res);
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
    const call: GatewayCall = { principal, requestId, res, signal: watchClientAbort(res), startedAt, startedAtEpoch: Date.now() };
    await dispatchGatewayRoute(gateway, call, req, () => readJsonBody(req, ctx.config.gateway.maxBodyBytes));
  }

  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      const error = toKeyholdError(err);
      if (error.code === 'ERR_INTERNAL') ctx.log.error({ err, path: (req.url ?? '/').split('?')[0] }, 'unhandled /v1 error');
      // An unread request body (413, 401 before reading) must not be parsed as the next request: the
      // connection closes after this answer.
      const unread = !req.complete;
      if (unread && !res.headersSent) res.setHeader('connection', 'close');
      writeError(res, error);
      if (unread) res.once('finish', () => closeAfterUnreadBody(req));
    });
  };
}
