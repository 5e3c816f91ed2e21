// Shared builders for access tests: rule definitions with defaults, and principals of each kind.
import type { Principal } from '@api/identity/principal';
import type { RuleDefinition } from '@api/access/rule-schema';

let counter = 0;

export function rule(fields: Partial<RuleDefinition> & Pick<RuleDefinition, 'models' | 'effect'>): RuleDefinition {
  counter += 1;
  return { id: `rule-${counter}`, name: null, position: counter, users: [], roles: [], components: [], keys: [], priority: 0, enabled: true, ...fields, limits: fields.limits ?? null };
}

export const ALICE = 'did:abt:zAlice';
export const BOB = 'did:abt:zBob';
export const COMPONENT = 'did:abt:zComponent';

export const user = (role: string, did = ALICE): Principal => ({
  kind: 'user',
  did,
  role,
  scopes: role === 'owner' || role === 'admin' ? ['read', 'write', 'admin'] : ['read', 'write'],
});

export const key = (fields: Partial<Principal> = {}): Principal => ({
  kind: 'key',
  did: ALICE,
  role: 'member',
  keyId: 'key0000000000001',
  scopes: ['read', 'write'],
  ...fields,
});

export const component = (did = COMPONENT): Principal => ({ kind: 'component', did, role: 'component', componentDid: did, scopes: ['read', 'write'] });

/** PUT a rules file: the harness's call() always sends JSON, so YAML goes through fetch here. */
export async function putRulesYaml(
  app: { url: string; tokenFor(role: 'owner' | 'admin' | 'member' | 'guest'): string },
  text: string,
  options: { role?: 'owner' | 'admin' | 'member' | 'guest'; contentType?: string } = {},
): Promise<{ status: number; text: string; json: { error?: { message: string; code: string; param: string | null } } | null; headers: Headers }> {
  const res = await fetch(`${app.url}/api/admin/rules.yaml`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${app.tokenFor(options.role ?? 'admin')}`, 'content-type': options.contentType ?? 'application/yaml' },
    body: text,
  });
  const body = await res.text();
  let json = null;
  try {
    json = JSON.parse(body);
  } catch {
    json = null;
  }
  return { status: res.status, text: body, json, headers: res.headers };
}
