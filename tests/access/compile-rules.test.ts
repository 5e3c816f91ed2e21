import { compileRules } from '@api/access/compile-rules';
import { evaluateAccess } from '@api/access/evaluate-access';
import { ruleAppliesTo } from '@api/access/explain-access';
import { compileModelPatterns, normalizeModelName } from '@api/access/model-pattern';
import { compareRules } from '@api/access/rule-view';
import type { RuleDefinition } from '@api/access/rule-schema';
import type { Principal } from '@api/identity/principal';

// A deterministic PRNG (mulberry32), so a failure reproduces.
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACCOUNTS = ['openai-main', 'azure-east', 'hf'];
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small', 'org/llama-3', 'o1-preview'];
const PATTERNS = ['*', '*/*', '*/gpt-4o', 'openai-main/*', 'openai-main/gpt-*', '*/text-embedding-*', 'hf/org/*', '*-east/gpt-4o*', 'azure-east/o1-preview', 'openai-main/GPT-4o', 'hf/*llama*'];
const DIDS = ['did:abt:zA', 'did:abt:zB', 'did:abt:zC'];
const ROLES = ['owner', 'admin', 'member', 'guest', 'component'];
const KEYS = ['k1', 'k2'];

function pick<T>(rand: () => number, items: readonly T[], max: number): T[] {
  const count = Math.floor(rand() * (max + 1));
  return Array.from({ length: count }, () => items[Math.floor(rand() * items.length)]);
}

/** The rules read literally: every enabled rule, tested one by one, in decision order. */
function decideByScan(rules: RuleDefinition[], principal: Principal, fqn: string): string | null {
  const matching = rules
    .filter((r) => r.enabled && ruleAppliesTo(r, principal) && compileModelPatterns(r.models).matches(normalizeModelName(fqn)))
    .sort(compareRules);
  return (matching.find((r) => r.effect === 'deny') ?? matching.find((r) => r.effect === 'allow'))?.id ?? null;
}

describe('compiled rule index', () => {
  it('decides exactly like a linear scan of every rule, over 3,000 random cases', () => {
    const rand = random(20240611);
    for (let round = 0; round < 30; round++) {
      const rules: RuleDefinition[] = Array.from({ length: 40 }, (_, i) => ({
        id: `r${round}-${i}`,
        name: null,
        position: i,
        models: pick(rand, PATTERNS, 2).concat(PATTERNS[Math.floor(rand() * PATTERNS.length)]),
        users: pick(rand, DIDS, 1),
        roles: pick(rand, ROLES, 1),
        components: pick(rand, DIDS, 1),
        keys: pick(rand, KEYS, 1),
        effect: rand() < 0.4 ? 'deny' : 'allow',
        priority: Math.floor(rand() * 3),
        enabled: rand() < 0.9,
        limits: null,
      }));
      const set = compileRules(rules);
      for (let q = 0; q < 100; q++) {
        const did = DIDS[Math.floor(rand() * DIDS.length)];
        const role = ROLES[Math.floor(rand() * ROLES.length)];
        const principal: Principal =
          role === 'component'
            ? { kind: 'component', did, role, componentDid: did, scopes: ['read', 'write'] }
            : { kind: rand() < 0.5 ? 'key' : 'user', did, role, scopes: ['read', 'write'], keyId: rand() < 0.5 ? KEYS[Math.floor(rand() * KEYS.length)] : undefined };
        const fqn = `${ACCOUNTS[Math.floor(rand() * ACCOUNTS.length)]}/${MODELS[Math.floor(rand() * MODELS.length)]}`;
        const decision = evaluateAccess(set, 'deny', principal, fqn);
        expect({ round, q, fqn, rule: decision.rule?.id ?? null }).toEqual({ round, q, fqn, rule: decideByScan(rules, principal, fqn) });
      }
    }
  });
});
