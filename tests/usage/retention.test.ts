import { startTestApp, type TestApp } from '@tests/fixtures/test-app';
import { makeUsageRecord } from '@tests/fixtures/usage-records';
import { UsageRecordRow } from '@api/models';
import { createLogger } from '@api/log';
import { pruneUsageRecords, RetentionPruner } from '@api/usage/retention';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ logLevel: 'silent' });
  // The app's own pass at start runs on an empty table; let it finish before seeding.
  await app.ctx.usageStore.pruner.stop();
});
afterAll(() => app.close());
beforeEach(() => UsageRecordRow.destroy({ where: {} }));

async function seed(ages: Record<string, number>): Promise<void> {
  for (const [label, days] of Object.entries(ages)) app.ctx.usage.record(makeUsageRecord({ requestId: `${label}-${days}d`, startedAt: NOW - days * DAY }));
  await app.ctx.usageStore.flush();
}

const remaining = async () => (await UsageRecordRow.findAll({ attributes: ['requestId'], order: [['requestId', 'ASC']], raw: true })).map((r) => r.requestId);

it('deletes records that started before the retention window, in batches, and keeps the rest', async () => {
  const old = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`old${i}`, 91 + i]));
  await seed({ ...old, edge: 89.99, recent: 1, today: 0 });
  expect(await pruneUsageRecords(90, { now: NOW, batchSize: 3 })).toBe(7);
  expect(await remaining()).toEqual(['edge-89.99d', 'recent-1d', 'today-0d']);
});

it.each([null, 0])('keeps every record when usageRetentionDays is %p', async (days) => {
  await seed({ ancient: 3650, recent: 1 });
  expect(await pruneUsageRecords(days, { now: NOW })).toBe(0);
  expect(await UsageRecordRow.count()).toBe(2);
});

it('defaults to 90 days, takes the value an admin sets, and refuses an invalid one naming the field', async () => {
  expect((await app.call('GET', '/api/admin/settings', { role: 'owner' })).json.usageRetentionDays).toBe(90);
  for (const bad of [-1, 1.5, 'forever', 40_000]) {
    const res = await app.call('PUT', '/api/admin/settings', { role: 'owner', body: { usageRetentionDays: bad } });
    expect(res.status).toBe(400);
    expect(res.json.error.param).toBe('usageRetentionDays');
  }
  const set = await app.call('PUT', '/api/admin/settings', { role: 'owner', body: { usageRetentionDays: 30 } });
  expect(set.status).toBe(200);
  expect(app.ctx.settings.current.usageRetentionDays).toBe(30);

  await seed({ a: 31, b: 29 });
  const pruner = new RetentionPruner(app.ctx.settings, createLogger({ level: 'silent' }), { now: () => NOW });
  await pruner.run();
  expect(await remaining()).toEqual(['b-29d']);

  expect((await app.call('PUT', '/api/admin/settings', { role: 'owner', body: { usageRetentionDays: null } })).status).toBe(200);
  await seed({ c: 400 });
  await pruner.run();
  expect(await remaining()).toEqual(['b-29d', 'c-400d']);
  await app.call('PUT', '/api/admin/settings', { role: 'owner', body: { usageRetentionDays: 90 } });
});

it('prunes as soon as it starts, so a restart after a long stop does not wait an hour', async () => {
  await seed({ old: 120, fresh: 2 });
  const pruner = new RetentionPruner({ current: { ...app.ctx.settings.current, usageRetentionDays: 90 } }, createLogger({ level: 'silent' }), { now: () => NOW });
  pruner.start();
  await pruner.stop(); // waits for the pass that start() began
  expect(await remaining()).toEqual(['fresh-2d']);
});
