// Limits beyond keys and roles: an allow rule's own limits (per caller, per model, per key, or all
// together) and a provider account's (all traffic to it). Under concurrency exactly the allowed
// number pass; a bare model name moves on to an account with room; bad limits are refused and
// change nothing.
import { startGatewayHarness, type GatewayHarness } from '@tests/fixtures/gateway-setup';

type Reply = { status: number; headers: Headers; json: { error?: { code: string; message: string; param?: string }; model?: string } };

function chat(h: GatewayHarness, key: string, model: string): Promise<Reply> {
  return fetch(`${h.app.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  }).then(async (res) => ({ status: res.status, headers: res.headers, json: (await res.json()) as Reply['json'] }));
}

const statuses = (replies: Reply[]) => replies.map((r) => r.status).sort((a, b) => a - b);
const count = (replies: Reply[], status: number) => replies.filter((r) => r.status === status).length;

async function putRules(h: GatewayHarness, rules: unknown[]): Promise<void> {
  // JSON is YAML too: the rules file endpoint takes it as application/yaml.
  const res = await fetch(`${h.app.url}/api/admin/rules.yaml`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${h.app.tokenFor('owner')}`, 'content-type': 'application/yaml' },
    body: JSON.stringify({ authz_rules: rules }),
  });
  if (res.status !== 200) throw new Error(`rules: ${res.status} ${await res.text()}`);
}

describe('limits carried by an allow rule', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGatewayHarness();
    await h.addAccount({ type: 'openai', name: 'lab', enabledModels: ['m1', 'm2'] });
  });
  afterAll(() => h.close());

  it('per caller (the default): 100 concurrent calls, exactly the rule rpm pass for each member', async () => {
    await putRules(h, [{ name: 'members-lab', models: ['lab/*'], roles: ['member'], effect: 'allow', limits: { rpm: 5 } }]);
    const alice = await h.createKey('member', 'z-rule-alice');
    const bob = await h.createKey('member', 'z-rule-bob');
    const replies = await Promise.all(Array.from({ length: 100 }, () => chat(h, alice.key, 'lab/m1')));
    expect(count(replies, 200)).toBe(5);
    expect(count(replies, 429)).toBe(95);
    const refused = replies.find((r) => r.status === 429)!;
    expect(refused.json.error!.code).toBe('ERR_LIMITS_RATE_LIMITED');
    expect(refused.json.error!.message).toContain('rule "members-lab" (per caller) is limited to 5 requests per minute');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Bob has a counter of his own; the other model counts with m1 for Alice (per caller, not per model).
    expect((await chat(h, bob.key, 'lab/m1')).status).toBe(200);
    expect((await chat(h, alice.key, 'lab/m2')).status).toBe(429);
    // An admin is not allowed by this rule (the default policy allows it), so its limits do not apply.
    const admin = await h.createKey('admin', 'z-rule-admin');
    expect(statuses(await Promise.all(Array.from({ length: 7 }, () => chat(h, admin.key, 'lab/m1'))))).toEqual(Array(7).fill(200));
  });

  it('per model: one counter per model, shared by every caller the rule allows', async () => {
    await putRules(h, [{ name: 'm-cap', models: ['lab/*'], roles: ['member'], effect: 'allow', limits: { rpm: 3, per: ['model'] } }]);
    const carol = await h.createKey('member', 'z-model-carol');
    const dave = await h.createKey('member', 'z-model-dave');
    const replies = await Promise.all([...Array.from({ length: 4 }, () => chat(h, carol.key, 'lab/m1')), ...Array.from({ length: 4 }, () => chat(h, dave.key, 'lab/m1'))]);
    expect(count(replies, 200)).toBe(3);
    expect(replies.find((r) => r.status === 429)!.json.error!.message).toContain('(per model m1)');
    // m2 has its own counter.
    expect((await chat(h, dave.key, 'lab/m2')).status).toBe(200);
  });

  it('per caller and model, and one counter for the whole rule', async () => {
    await putRules(h, [
      { name: 'both', models: ['lab/m1'], roles: ['member'], effect: 'allow', priority: 1, limits: { rpm: 2, per: ['model', 'user'] } },
      { name: 'all', models: ['lab/m2'], roles: ['member'], effect: 'allow', limits: { rpm: 2, per: [] } },
    ]);
    const erin = await h.createKey('member', 'z-both-erin');
    const fay = await h.createKey('member', 'z-both-fay');
    expect(statuses(await Promise.all(Array.from({ length: 3 }, () => chat(h, erin.key, 'lab/m1'))))).toEqual([200, 200, 429]);
    expect(statuses(await Promise.all(Array.from({ length: 3 }, () => chat(h, fay.key, 'lab/m1'))))).toEqual([200, 200, 429]);
    const shared = await Promise.all([chat(h, erin.key, 'lab/m2'), chat(h, fay.key, 'lab/m2'), chat(h, fay.key, 'lab/m2')]);
    expect(statuses(shared)).toEqual([200, 200, 429]);
    expect(shared.find((r) => r.status === 429)!.json.error!.message).toContain('(all its calls together)');
  });

  it('holds requests in flight to the rule concurrency', async () => {
    await putRules(h, [{ name: 'one-at-a-time', models: ['lab/*'], roles: ['member'], effect: 'allow', limits: { concurrency: 1 } }]);
    const gil = await h.createKey('member', 'z-conc-gil');
    h.fake.setMode({ kind: 'normal', delayMs: 400 });
    try {
      const replies = await Promise.all(Array.from({ length: 5 }, () => chat(h, gil.key, 'lab/m1')));
      expect(count(replies, 200)).toBe(1);
      expect(replies.find((r) => r.status === 429)!.json.error!.message).toContain('may have 1 requests in flight');
    } finally {
      h.fake.setMode({ kind: 'normal' });
    }
    // The slot is free again once the call is over.
    expect((await chat(h, gil.key, 'lab/m1')).status).toBe(200);
  });

  describe('refuses limits that cannot work, and changes nothing', () => {
    const attempts: Array<[string, Record<string, unknown>, string]> = [
      ['limits on a deny rule', { models: ['lab/*'], effect: 'deny', limits: { rpm: 1 } }, 'only an allow rule can carry limits'],
      ['limits with no number', { models: ['lab/*'], effect: 'allow', limits: {} }, 'at least one of rpm, tpm, concurrency'],
      ['a zero rpm', { models: ['lab/*'], effect: 'allow', limits: { rpm: 0 } }, 'limits.rpm'],
      ['a fractional tpm', { models: ['lab/*'], effect: 'allow', limits: { tpm: 1.5 } }, 'limits.tpm'],
      ['a repeated dimension', { models: ['lab/*'], effect: 'allow', limits: { rpm: 1, per: ['user', 'user'] } }, 'must not repeat'],
      ['an unknown dimension', { models: ['lab/*'], effect: 'allow', limits: { rpm: 1, per: ['team'] } }, 'limits.per'],
      ['an unknown field', { models: ['lab/*'], effect: 'allow', limits: { rpm: 1, burst: 5 } }, 'burst'],
      ['a string for a number', { models: ['lab/*'], effect: 'allow', limits: { rpm: '5' } }, 'limits.rpm'],
    ];
    it.each(attempts)('%s → 400', async (_what, body, expected) => {
      const before = await h.app.call('GET', '/api/admin/rules', { role: 'owner' });
      const res = await h.app.call('POST', '/api/admin/rules', { role: 'owner', body });
      expect(res.status).toBe(400);
      expect(res.text).toContain(expected);
      expect((await h.app.call('GET', '/api/admin/rules', { role: 'owner' })).json).toEqual(before.json);
    });

    it('turning a limited allow rule into a deny rule → 400, the rule unchanged', async () => {
      const created = await h.app.call('POST', '/api/admin/rules', { role: 'owner', body: { name: 'flip', models: ['lab/nothing'], effect: 'allow', limits: { rpm: 9 } } });
      expect(created.status).toBe(201);
      const res = await h.app.call('PATCH', `/api/admin/rules/${created.json.id}`, { role: 'owner', body: { effect: 'deny' } });
      expect(res.status).toBe(400);
      expect(res.json.error.param).toBe('limits');
      const after = await h.app.call('GET', `/api/admin/rules/${created.json.id}`, { role: 'owner' });
      expect(after.json).toMatchObject({ effect: 'allow', limits: { rpm: 9 } });
      expect((await h.app.call('DELETE', `/api/admin/rules/${created.json.id}`, { role: 'owner' })).status).toBe(204);
    });

    it('a member cannot set rule limits', async () => {
      const res = await h.app.call('POST', '/api/admin/rules', { role: 'member', body: { models: ['lab/*'], effect: 'allow', limits: { rpm: 1000 } } });
      expect(res.status).toBe(403);
    });
  });

  it('round-trips limits through the rules file, and leaves rules without limits as they were', async () => {
    const yaml = [
      'authz_rules:',
      '  - name: capped',
      '    models: [lab/m1]',
      '    users: []',
      '    roles: [member]',
      '    components: []',
      '    keys: []',
      '    effect: allow',
      '    priority: 0',
      '    enabled: true',
      '    limits:',
      '      rpm: 10',
      '      per: [user, model]',
      '  - models: [lab/m2]',
      '    users: []',
      '    roles: [member]',
      '    components: []',
      '    keys: []',
      '    effect: allow',
      '    priority: 0',
      '    enabled: true',
      '',
    ].join('\n');
    const headers = { authorization: `Bearer ${h.app.tokenFor('owner')}`, 'content-type': 'application/yaml' };
    const put = await fetch(`${h.app.url}/api/admin/rules.yaml`, { method: 'PUT', headers, body: yaml });
    expect(put.status).toBe(200);
    const exported = await (await fetch(`${h.app.url}/api/admin/rules.yaml`, { headers })).text();
    expect(exported).toBe(yaml);
    // Explain names the deciding rule and the limits it puts on the call.
    const explained = await h.app.call('POST', '/api/admin/access/explain', { role: 'owner', body: { principal: { did: 'z-explain', role: 'member' }, model: 'lab/m1' } });
    expect(explained.status).toBe(200);
    expect(explained.json).toMatchObject({ allowed: true, rule: { name: 'capped' }, limits: { rpm: 10, per: ['user', 'model'] } });
  });
});

describe('limits on a provider account', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGatewayHarness();
    // Both serve the bare name "shared" under their own upstream names, so the fake tells them apart.
    await h.addAccount({ type: 'openai', name: 'small', enabledModels: [], modelAliases: { shared: 'up-small' }, weight: 5, limits: { rpm: 2 } });
    await h.addAccount({ type: 'openai', name: 'large', enabledModels: [], modelAliases: { shared: 'up-large' }, weight: 1 });
    await h.addAccount({ type: 'openai', name: 'solo', enabledModels: ['only'], limits: { rpm: 3 } });
    await h.addAccount({ type: 'openai', name: 'tiny', enabledModels: ['tiny-model'], limits: { rpm: 1 } });
    await h.addAccount({ type: 'openai', name: 'roomy', enabledModels: ['roomy-model'] });
  });
  afterAll(() => h.close());

  const upstreamCalls = (model: string) => h.fake.requests.filter((r) => r.body.includes(`"model":"${model}"`)).length;

  it('counts every caller together: 100 concurrent calls from two users, exactly 3 reach the account', async () => {
    const a = await h.createKey('member', 'z-acct-a');
    const b = await h.createKey('member', 'z-acct-b');
    const before = upstreamCalls('only');
    const replies = await Promise.all(Array.from({ length: 100 }, (_, i) => chat(h, i % 2 ? a.key : b.key, 'solo/only')));
    expect(count(replies, 200)).toBe(3);
    expect(count(replies, 429)).toBe(97);
    expect(upstreamCalls('only') - before).toBe(3);
    const refused = replies.find((r) => r.status === 429)!;
    expect(refused.json.error!.message).toContain('provider account "solo" is limited to 3 requests per minute');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a bare model name moves on to an account with room instead of failing', async () => {
    const { key } = await h.createKey('member', 'z-acct-bare');
    const replies: Reply[] = [];
    for (let i = 0; i < 12; i++) replies.push(await chat(h, key, 'shared'));
    expect(statuses(replies)).toEqual(Array(12).fill(200));
    // "small" has five times the weight but only 2 requests a minute; "large" takes the rest.
    expect(upstreamCalls('up-small')).toBe(2);
    expect(upstreamCalls('up-large')).toBe(10);
    // Addressed directly, the full account refuses.
    expect((await chat(h, key, 'small/shared')).status).toBe(429);
  });

  it("a call no account had room for does not count against the caller's own requests per minute", async () => {
    const { key } = await h.createKey('member', 'z-acct-refund', { rpm: 2 });
    expect((await chat(h, key, 'tiny/tiny-model')).status).toBe(200);
    // The key has one request left. Each refusal by the full account gives it back, so every one
    // of these is the account's refusal, never the key's.
    for (let i = 0; i < 4; i++) {
      const refused = await chat(h, key, 'tiny/tiny-model');
      expect(refused.status).toBe(429);
      expect(refused.json.error!.message).toContain('provider account "tiny"');
    }
    // A served call still counts: the key's second request goes through on another model, its third is refused by the key.
    expect((await chat(h, key, 'roomy/roomy-model')).status).toBe(200);
    const third = await chat(h, key, 'roomy/roomy-model');
    expect(third.status).toBe(429);
    expect(third.json.error!.message).toContain('limited to 2 requests per minute');
  });

  it('refuses bad account limits with a 400 naming the field, and changes nothing', async () => {
    const before = await h.app.call('GET', '/api/admin/accounts', { role: 'owner' });
    for (const limits of [{}, { rpm: -1 }, { concurrency: 0 }, { rpm: 1, extra: 1 }]) {
      const res = await h.app.call('POST', '/api/admin/accounts', { role: 'owner', body: { name: 'bad-limits', type: 'openai', limits } });
      expect(res.status).toBe(400);
      expect(res.json.error.param ?? res.json.error.message).toMatch(/limits/);
    }
    const solo = before.json.data.find((acct: { name: string }) => acct.name === 'solo');
    expect(solo.limits).toEqual({ rpm: 3 });
    const patched = await h.app.call('PATCH', `/api/admin/accounts/${solo.id}`, { role: 'owner', body: { limits: { rpm: 0 } } });
    expect(patched.status).toBe(400);
    expect((await h.app.call('GET', '/api/admin/accounts', { role: 'owner' })).json).toEqual(before.json);
  });
});
