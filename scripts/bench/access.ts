// `npm run bench:access`: identify (API key) + authorize for one request with hot caches, with
// 100,000 keys and 10,000 rules in the database, and with 100 keys / 10 rules beside it: the cost
// must not grow with the number of keys or rules.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { prepareEnvironment } from '../../api/runtime-env';
import { createContext, type AppContext } from '../../api/context';
import { createLogger } from '../../api/log';
import { ApiKey } from '../../api/models/api-key';
import { AccessRule } from '../../api/models/access-rule';
import { formatApiKey, generateKeyId } from '../../api/identity/api-key-format';
import { verifyApiKey } from '../../api/identity/verify-api-key';
import { principalOfKey } from '../../api/identity/identify';
import { median, percentile, sampleMicros } from './stats';

interface Scenario {
  keys: number;
  rules: number;
}

async function seed(ctx: AppContext, scenario: Scenario): Promise<string> {
  const now = new Date();
  const presented = formatApiKey(generateKeyId());
  const target = presented.slice(3, 19);
  const batch = 5000;
  for (let start = 0; start < scenario.keys; start += batch) {
    const rows = [];
    for (let i = start; i < Math.min(scenario.keys, start + batch); i += 1) {
      const isTarget = i === Math.floor(scenario.keys / 2);
      const id = isTarget ? target : generateKeyId();
      rows.push({
        id, hash: ctx.keyHasher.hash(isTarget ? presented : formatApiKey(id)), prevHash: null, prevHashExpiresAt: null,
        ownerDid: `z-user-${i}`, ownerRole: 'member', name: `key ${i}`, clientId: null, scopes: ['read', 'write'] as ('read' | 'write')[],
        models: [], rpm: null, tpm: null, budget: null, expiresAt: null, revokedAt: null, lastUsedAt: null, lastUsedIp: null,
        createdBy: 'bench', createdAt: now, updatedAt: now,
      });
    }
    await ApiKey.bulkCreate(rows);
  }
  const rules = [];
  for (let i = 0; i < scenario.rules; i += 1) {
    // Mostly per-user rules for other users, some per-role and deny rules, as a large install has.
    const kind = i % 10;
    rules.push({
      id: crypto.randomUUID(), name: `rule-${i}`, position: i, effect: kind === 9 ? 'deny' as const : 'allow' as const, priority: i % 5, enabled: true,
      models: kind < 8 ? [`acct-${i % 50}/model-${i % 200}`, `acct-${i % 50}/gpt-*`] : [`acct-${i % 50}/secret-*`],
      users: kind < 8 ? [`z-user-${(i * 7) % Math.max(scenario.keys, 1)}`] : [], roles: kind >= 8 ? ['guest'] : [], components: [], keys: [],
      createdAt: now, updatedAt: now,
    });
  }
  const targetUser = `z-user-${Math.floor(scenario.keys / 2)}`;
  rules.push({ id: crypto.randomUUID(), name: 'target-allow', position: scenario.rules, effect: 'allow' as const, priority: 1, enabled: true,
    models: ['acct-7/gpt-*'], users: [targetUser], roles: [], components: [], keys: [], createdAt: now, updatedAt: now });
  for (let start = 0; start < rules.length; start += batch) await AccessRule.bulkCreate(rules.slice(start, start + batch));
  return presented;
}

async function measure(scenario: Scenario): Promise<{ median: number; p99: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-bench-access-'));
  process.env.KEYHOLD_DATA_DIR = dataDir;
  const { config } = prepareEnvironment();
  const ctx = await createContext(config, { log: createLogger({ level: 'silent' }) });
  try {
    const presented = await seed(ctx, scenario);
    await ctx.keyIndex.load();
    await ctx.access.load();
    const run = () => {
      const principal = principalOfKey(verifyApiKey(presented, ctx.keyIndex, ctx.keyHasher));
      if (!ctx.access.authorize(principal, 'acct-7/gpt-4o').allowed) throw new Error('expected the request to be allowed');
    };
    sampleMicros(run, 50, 200); // warm-up
    const samples = sampleMicros(run, 300, 200);
    return { median: median(samples), p99: percentile(samples, 99) };
  } finally {
    await ctx.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function bench(): Promise<void> {
  const large = await measure({ keys: 100_000, rules: 10_000 });
  const small = await measure({ keys: 100, rules: 10 });
  const line = (label: string, r: { median: number; p99: number }) =>
    process.stdout.write(`${label.padEnd(28)}${r.median.toFixed(2).padStart(10)} µs median${r.p99.toFixed(2).padStart(10)} µs p99\n`);
  process.stdout.write('identify (API key) + authorize, hot cache\n');
  line('100,000 keys / 10,000 rules', large);
  line('100 keys / 10 rules', small);
  process.stdout.write(`\nratio large/small: ${(large.median / small.median).toFixed(2)} (target: median <= 20 µs, flat in the number of keys)\n`);
}

bench().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
