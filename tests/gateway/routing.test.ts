// Routing without HTTP: smooth weighted round robin, the two-level credential pick, health
// (cooldown, disable), and model-name resolution (account/model, bare names, aliases, wildcards).
import { SmoothWeighted } from '@api/gateway/routing/smooth-weighted';
import { CredentialHealth } from '@api/gateway/routing/credential-health';
import { CredentialPicker } from '@api/gateway/routing/pick-credential';
import { resolveModel } from '@api/gateway/routing/resolve-model';
import type { CatalogAccount, CatalogSnapshot } from '@api/gateway/routing/catalog';
import { AccessControl } from '@api/access/access-control';
import { SettingsStore } from '@api/settings/settings';
import type { Principal } from '@api/identity/principal';
import { AccessDenied, ModelNotFound } from '@api/errors';

function account(name: string, weight: number, models: Record<string, string>, credentials: Array<[string, number]>, acceptsAnyModel = false): CatalogAccount {
  return {
    id: `id-${name}`,
    name,
    type: 'openai',
    weight,
    upstream: { type: 'openai', baseUrl: 'http://127.0.0.1:1/v1', region: null, apiVersion: null },
    models: new Map(Object.entries(models)),
    acceptsAnyModel,
    credentials: credentials.map(([id, w]) => ({ id, accountId: `id-${name}`, name: id, weight: w, status: 'active', lastError: null, upstream: { type: 'api_key', publicFields: {}, secrets: {} } })),
    limits: null,
  };
}

function snapshotOf(accounts: CatalogAccount[]): CatalogSnapshot {
  const byModel = new Map<string, CatalogAccount[]>();
  for (const a of accounts) for (const m of a.models.keys()) byModel.set(m, [...(byModel.get(m) ?? []), a]);
  return { accounts: new Map(accounts.map((a) => [a.name, a])), byModel, modelFqns: [] };
}

describe('SmoothWeighted', () => {
  it('spreads 5:1:1 as nginx does: a a b a c a a', () => {
    const round = new SmoothWeighted();
    const items = [{ id: 'a', weight: 5 }, { id: 'b', weight: 1 }, { id: 'c', weight: 1 }];
    expect(Array.from({ length: 7 }, () => round.pick(items)!.id).join(' ')).toBe('a a b a c a a');
  });

  it('skips excluded and zero-weight items, and answers null when none is left', () => {
    const round = new SmoothWeighted();
    const items = [{ id: 'a', weight: 2 }, { id: 'b', weight: 0 }];
    expect(round.pick(items, new Set(['a']))).toBeNull();
    expect(round.pick(items)!.id).toBe('a');
  });
});

describe('CredentialPicker', () => {
  const principal: Principal = { kind: 'user', did: 'z-u', role: 'member', scopes: ['read', 'write'] };

  it('splits by account weight, then by credential weight', () => {
    const health = new CredentialHealth();
    const picker = new CredentialPicker(health);
    const big = account('big', 3, { m: 'm' }, [['b1', 1], ['b2', 1]]);
    const small = account('small', 1, { m: 'm' }, [['s1', 1]]);
    const candidates = resolveModel(snapshotOf([big, small]), new AccessControl(new SettingsStore()), principal, 'm');
    const counts: Record<string, number> = {};
    for (let i = 0; i < 400; i += 1) {
      const pick = picker.pick('m', candidates, new Set())!;
      counts[pick.credential.id] = (counts[pick.credential.id] ?? 0) + 1;
    }
    expect(counts).toEqual({ b1: 150, b2: 150, s1: 100 });
  });

  it('leaves out cooling-down and disabled credentials, and uses a weight-0 account only as a last resort', () => {
    let now = 1_000;
    const health = new CredentialHealth(() => now);
    const picker = new CredentialPicker(health);
    const main = account('main', 1, { m: 'm' }, [['m1', 1], ['m2', 1]]);
    const backup = account('backup', 0, { m: 'm' }, [['k1', 1]]);
    const candidates = resolveModel(snapshotOf([main, backup]), new AccessControl(new SettingsStore()), principal, 'm');
    const ids = (n: number) => Array.from({ length: n }, () => picker.pick('m', candidates, new Set())!.credential.id);
    expect(new Set(ids(6))).toEqual(new Set(['m1', 'm2']));
    health.coolDown('m1', 5_000);
    health.disable('m2');
    expect(ids(3)).toEqual(['k1', 'k1', 'k1']);
    now += 5_001;
    expect(ids(2)).toEqual(['m1', 'm1']);
    expect(health.soonestReturn(['m1', 'm2'])).toBeNull();
    expect(picker.pick('m', candidates, new Set(['m1', 'k1']))).toBeNull();
  });
});

describe('resolveModel', () => {
  const settings = new SettingsStore();
  const access = new AccessControl(settings);
  access.useRules([{ id: 'r1', position: 0, name: 'no secret for members', models: ['*/secret'], users: [], roles: ['member'], components: [], keys: [], effect: 'deny', priority: 0, enabled: true, limits: null }]);
  const member: Principal = { kind: 'user', did: 'z-m', role: 'member', scopes: ['read', 'write'] };
  const azure = account('azure-east', 1, { 'gpt-4o': 'prod-gpt4o-deployment', secret: 'secret' }, [['c1', 1]]);
  const open = account('router', 1, {}, [['c2', 1]], true);
  const snapshot = snapshotOf([azure, open]);

  it.each([
    ['azure-east/gpt-4o', [['azure-east/gpt-4o', 'prod-gpt4o-deployment']]],
    ['gpt-4o', [['azure-east/gpt-4o', 'prod-gpt4o-deployment']]],
    ['router/meta-llama/llama-3-70b', [['router/meta-llama/llama-3-70b', 'meta-llama/llama-3-70b']]],
  ])('%s resolves to its account and upstream name', (requested, expected) => {
    expect(resolveModel(snapshot, access, member, requested).map((c) => [c.fqn, c.upstreamModel])).toEqual(expected);
  });

  it('answers 404 for a model nobody serves, including a wildcard account asked by bare name', () => {
    expect(() => resolveModel(snapshot, access, member, 'nothing')).toThrow(ModelNotFound);
    expect(() => resolveModel(snapshot, access, member, 'azure-east/nothing')).toThrow(ModelNotFound);
  });

  it('answers 403 naming the rule when the caller may use none of the candidates', () => {
    expect(() => resolveModel(snapshot, access, member, 'secret')).toThrow(AccessDenied);
    expect(() => resolveModel(snapshot, access, member, 'secret')).toThrow(/no secret for members/);
  });
});

it('never passes "." or ".." through a wildcard account: they would leave the upstream path', () => {
  const access = new AccessControl(new SettingsStore());
  const member: Principal = { kind: 'user', did: 'z-m', role: 'member', scopes: ['read', 'write'] };
  const snapshot = snapshotOf([account('router', 1, {}, [['c', 1]], true)]);
  for (const name of ['router/..', 'router/.', 'router/a\nb']) expect(() => resolveModel(snapshot, access, member, name)).toThrow(ModelNotFound);
  expect(resolveModel(snapshot, access, member, 'router/v1.5')[0].upstreamModel).toBe('v1.5');
});
