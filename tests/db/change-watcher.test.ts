// The change watcher's promise to an admin write: check() resolves only after a pass that started
// after the call, so a write is in the caches when the admin's answer goes out, even when the
// once-a-second poll was already reading the tables as the write landed.
import type { Sequelize } from 'sequelize';
import { ChangeWatcher } from '@api/db/change-watcher';
import { createLogger } from '@api/log';

function table() {
  let stamp = 'v1';
  const reads: Array<() => void> = [];
  /** Reads answer with the stamp as it was when they started, once released. */
  const sequelize = {
    query: () => {
      const seen = stamp;
      return new Promise((resolve) => reads.push(() => resolve([{ n: 1, latest: seen }])));
    },
  } as unknown as Sequelize;
  return {
    sequelize,
    write: (next: string) => (stamp = next),
    releaseReads: () => reads.splice(0).forEach((release) => release()),
    pendingReads: () => reads.length,
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

it('a check that arrives while a pass is reading waits for a fresh pass, and sees the write', async () => {
  const t = table();
  const loaded: string[] = [];
  let current = 'v1';
  const watcher = new ChangeWatcher(t.sequelize, createLogger({ level: 'silent' }), [{ table: 'accounts', reload: async () => void loaded.push(current) }]);
  const primed = watcher.prime();
  await tick();
  t.releaseReads();
  await primed;
  // The periodic poll starts and reads the old stamp...
  const poll = watcher.check();
  await tick();
  expect(t.pendingReads()).toBe(1);
  // ...then an admin's write lands and its route asks for a check.
  t.write('v2');
  current = 'v2';
  let adminDone = false;
  const admin = watcher.check().then(() => (adminDone = true));
  t.releaseReads();
  await poll;
  await tick();
  // The poll's read was stale: the admin's check must not have resolved with it.
  expect(adminDone).toBe(false);
  expect(t.pendingReads()).toBe(1);
  t.releaseReads();
  await admin;
  expect(loaded).toEqual(['v2']);
});

it('callers who ask while a pass runs share one follow-up pass', async () => {
  const t = table();
  let reloads = 0;
  const watcher = new ChangeWatcher(t.sequelize, createLogger({ level: 'silent' }), [{ table: 'accounts', reload: async () => void (reloads += 1) }]);
  const primed = watcher.prime();
  await tick();
  t.releaseReads();
  await primed;
  const first = watcher.check();
  await tick();
  t.write('v2');
  const followers = [watcher.check(), watcher.check(), watcher.check()];
  t.releaseReads();
  await first;
  await tick();
  expect(t.pendingReads()).toBe(1);
  t.releaseReads();
  await Promise.all(followers);
  // The first pass saw the primed v1 (nothing to do); the one follow-up pass saw v2 and reloaded once.
  expect(reloads).toBe(1);
});
