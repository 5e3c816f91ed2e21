// The /v1 routes, on a bare request/response pair with the caller already identified. Used by
// the lean entry (API keys) and by the Express fallback (login tokens, component calls) alike.
import { ResourceNotFound, KeyholdError } from '../errors';
import type { Gateway } from './gateway';
import type { GatewayCall } from './gateway-call';
import { handleChatCompletions } from './chat-completions';
import { handleEmbeddings } from './embeddings';
import { handleListModels, handleRetrieveModel } from './models';

export type BodyReader = () => Promise<unknown>;

function methodNotAllowed(allowed: string): KeyholdError {
  return new KeyholdError(`Method not allowed; use ${allowed}.`, 'ERR_VALIDATION', 405, 'invalid_request_error');
}

/** `target`: the method and the full request URL (Express's originalUrl: its mount point strips /v1 from url). */
export async function dispatchGatewayRoute(gateway: Gateway, call: GatewayCall, target: { method?: string; url?: string }, readBody: BodyReader): Promise<void> {
  const path = (target.url ?? '/').split('?')[0].replace(/\/+$/, '');
  const method = target.method ?? 'GET';
  if (path === '/v1/chat/completions') {
    if (method !== 'POST') throw methodNotAllowed('POST');
    return handleChatCompletions(gateway, call, readBody);
  }
  if (path === '/v1/embeddings') {
    if (method !== 'POST') throw methodNotAllowed('POST');
    return handleEmbeddings(gateway, call, readBody);
  }
  if (path === '/v1/models') {
    if (method !== 'GET') throw methodNotAllowed('GET');
    return handleListModels(gateway, call);
  }
  if (path.startsWith('/v1/models/')) {
    if (method !== 'GET') throw methodNotAllowed('GET');
    let id: string;
    try {
      id = decodeURIComponent(path.slice('/v1/models/'.length));
    } catch {
      throw new ResourceNotFound('Model');
    }
    return handleRetrieveModel(gateway, call, id);
  }
  throw new ResourceNotFound('Route');
}
