// GET /v1/models and /v1/models/{model}: only what the caller may use. Each served model appears
// as `account/model`, and its bare name once when any account serving it is allowed.
import type { Gateway } from './gateway';
import type { GatewayCall } from './gateway-call';
import { ModelNotFound } from '../errors';
import { writeJson } from './respond';

interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

// A fixed date: OpenAI's `created` is required, and the catalog has no meaningful creation time per model.
const CREATED = 1_700_000_000;

export function listAllowedModels(gateway: Gateway, call: GatewayCall): ModelEntry[] {
  const snapshot = gateway.catalog.snapshot;
  const allowed = gateway.deps.access.allowedModels(call.principal, snapshot.modelFqns);
  const entries: ModelEntry[] = [];
  const bare = new Set<string>();
  for (const fqn of allowed) {
    const slash = fqn.indexOf('/');
    entries.push({ id: fqn, object: 'model', created: CREATED, owned_by: fqn.slice(0, slash) });
    bare.add(fqn.slice(slash + 1));
  }
  for (const name of [...bare].sort()) entries.push({ id: name, object: 'model', created: CREATED, owned_by: 'keyhold' });
  return entries;
}

export function handleListModels(gateway: Gateway, call: GatewayCall): void {
  writeJson(call.res, 200, { object: 'list', data: listAllowedModels(gateway, call) }, call.headers);
}

export function handleRetrieveModel(gateway: Gateway, call: GatewayCall, id: string): void {
  const entry = listAllowedModels(gateway, call).find((model) => model.id === id);
  if (!entry) throw new ModelNotFound(id);
  writeJson(call.res, 200, entry, call.headers);
}
