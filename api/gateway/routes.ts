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

/** The URL's path without its query and trailing slashes. indexOf and slice, not split and a regex: every call passes here. */
function routePath(url: string): string {
  const query = url.indexOf('?');
  let path = query === -1 ? url : url.slice(0, query);
  while (path.endsWith('/')) path = path.slice(0, -1);
  return path;
}

/** `target`: the method and the full request URL (Express's originalUrl: its mount point strips /v1 from url). */
export async function dispatchGatewayRoute(gateway: Gateway, call: GatewayCall, target: { method?: string; url?: string }, readBody: BodyReader): Promise<void> {
  const path = routePath(target.url ?? '/');
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
