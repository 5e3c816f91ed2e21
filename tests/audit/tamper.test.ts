// Tampering with the audit trail behind Keyhold's back — straight in the SQLite file, through a
// connection of its own — is reported at the right seq by the verify endpoint and by
// `keyhold audit verify`, which exits 1; an intact chain exits 0.
import path from 'node:path';
import { execFile } from 'node:child_process';
import sqlite3 from 'sqlite3';
import { startTestApp, type TestApp } from '@tests/fixtures/test-app';
import { hashAuditEvent } from '@api/audit/chain';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

interface SqlFile {
  run(sql: string, params?: unknown[]): Promise<void>;
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** Opens the app's database file with a separate sqlite3 connection, runs `work`, and closes it. */
async function tamper(file: string, work: (db: SqlFile) => Promise<void>): Promise<void> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(opened)));
  });
  const sql: SqlFile = {
    run: (text, params = []) => new Promise((resolve, reject) => void db.run(text, params, (err) => (err ? reject(err) : resolve()))),
    all: <T>(text: string, params: unknown[] = []) =>
      new Promise<T[]>((resolve, reject) => void db.all(text, params, (err, rows) => (err ? reject(err) : resolve(rows as T[])))),
  };
  try {
    await sql.run('PRAGMA busy_timeout = 5000');
    await work(sql);
  } finally {
    await new Promise((resolve) => db.close(resolve));
  }
}

function runVerifyCli(dataDir: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(TSX, [path.join(ROOT, 'scripts/cli.ts'), 'audit', 'verify'], { cwd: ROOT, env: { ...process.env, KEYHOLD_DATA_DIR: dataDir, KEYHOLD_LOG_LEVEL: 'silent' } }, (err, stdout) =>
      resolve({ code: err ? Number(err.code) : 0, stdout: String(stdout) }),
    );
  });
}

type Row = Record<string, string | number | null>;

async function swapRows(db: SqlFile, a: number, b: number): Promise<void> {
  const columns = (await db.all<{ name: string }>('PRAGMA table_info(audit_events)')).map((c) => c.name).filter((name) => name !== 'seq');
  const [first, second] = await Promise.all([a, b].map(async (seq) => (await db.all<Row>('SELECT * FROM audit_events WHERE seq = ?', [seq]))[0]));
  const assign = columns.map((name) => `${name} = ?`).join(', ');
  await db.run('BEGIN');
  await db.run(`UPDATE audit_events SET ${assign} WHERE seq = ?`, [...columns.map((name) => second[name]), a]);
  await db.run(`UPDATE audit_events SET ${assign} WHERE seq = ?`, [...columns.map((name) => first[name]), b]);
  await db.run('COMMIT');
}

/** Edits a row and gives it a hash that matches its new content, as a careful forger would. */
async function editAndRehash(db: SqlFile, seq: number): Promise<void> {
  const [row] = await db.all<Row>('SELECT * FROM audit_events WHERE seq = ?', [seq]);
  const fields = {
    seq, time: new Date(String(row.time)).toISOString(), actorDid: String(row.actor_did), actorRole: String(row.actor_role),
    actorMethod: String(row.actor_method), action: 'account.viewed', targetType: String(row.target_type), targetId: row.target_id as string | null,
    before: row.before as string | null, after: row.after as string | null, ip: row.ip as string | null, requestId: row.request_id as string | null,
    prevHash: String(row.prev_hash),
  };
  await db.run('UPDATE audit_events SET action = ?, hash = ? WHERE seq = ?', [fields.action, hashAuditEvent(fields), seq]);
}

let app: TestApp;
let events: number;
beforeEach(async () => {
  app = await startTestApp({ logLevel: 'silent' });
  const accounts: string[] = [];
  for (const name of ['t-one', 't-two', 't-three']) accounts.push((await app.call('POST', '/api/admin/accounts', { role: 'owner', body: { name, type: 'openai' } })).json.id);
  for (const name of ['c-one', 'c-two']) {
    const created = await app.call('POST', `/api/admin/accounts/${accounts[0]}/credentials`, { role: 'admin', body: { name, type: 'api_key', value: { api_key: `sk-tamper-${name}-0123456789` } } });
    expect(created.status).toBe(201);
  }
  const verdict = (await app.call('GET', '/api/admin/audit/verify', { role: 'owner' })).json;
  expect(verdict).toMatchObject({ ok: true });
  events = verdict.events;
  expect(events).toBeGreaterThanOrEqual(5);
});
afterEach(() => app.close());

describe('audit verify against a tampered database file', () => {
  it('reports an intact chain, and the CLI exits 0', async () => {
    const { code, stdout } = await runVerifyCli(app.dataDir);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^Audit chain intact: ${events} events, head [0-9a-f]{64}\\.$`))]);
  });

  it.each([
    {
      name: 'an edited column',
      tamperWith: (db: SqlFile) => db.run(`UPDATE audit_events SET target_id = 'forged' WHERE seq = 3`),
      expected: { brokenAt: 3, problem: 'edited', reason: 'event content does not match its hash', events: 2 },
    },
    {
      name: 'a deleted row',
      tamperWith: (db: SqlFile) => db.run('DELETE FROM audit_events WHERE seq = 3'),
      expected: { brokenAt: 3, problem: 'missing', reason: 'seq 3 is missing', events: 2 },
    },
    {
      name: 'two rows whose contents were swapped',
      tamperWith: (db: SqlFile) => swapRows(db, 2, 4),
      expected: { brokenAt: 2, problem: 'reordered', reason: 'rows out of order: the event after seq 1 is stored at seq 4', events: 1 },
    },
    {
      name: 'a row edited and re-hashed, which breaks the link of the next one',
      tamperWith: (db: SqlFile) => editAndRehash(db, 3),
      expected: { brokenAt: 4, problem: 'broken_link', reason: 'previous hash does not match the hash of seq 3', events: 3 },
    },
  ])('reports $name at the right seq, from the endpoint and the CLI (exit 1)', async ({ tamperWith, expected }) => {
    await tamper(app.ctx.config.sqlitePath, tamperWith);

    const verify = await app.call('GET', '/api/admin/audit/verify', { role: 'admin' });
    expect(verify.status).toBe(200);
    expect(verify.json).toEqual({ ok: false, ...expected });

    const { code, stdout } = await runVerifyCli(app.dataDir);
    expect(code).toBe(1);
    expect(stdout.trim().split('\n')).toEqual([
      `Audit chain BROKEN at seq ${expected.brokenAt} (${expected.problem}): ${expected.reason}; ${expected.events} events verified before it.`,
    ]);
  });

  it('reports a gap of several rows as one missing range', async () => {
    await tamper(app.ctx.config.sqlitePath, (db) => db.run('DELETE FROM audit_events WHERE seq IN (2, 3)'));
    expect((await app.call('GET', '/api/admin/audit/verify', { role: 'owner' })).json).toEqual({
      ok: false, events: 1, brokenAt: 2, problem: 'missing', reason: 'seq 2 to 3 are missing',
    });
  });

  it('reports the first event moved away from seq 1 as a reorder at seq 1', async () => {
    await tamper(app.ctx.config.sqlitePath, (db) => swapRows(db, 1, 2));
    expect((await app.call('GET', '/api/admin/audit/verify', { role: 'owner' })).json).toMatchObject({
      ok: false, brokenAt: 1, problem: 'reordered', reason: 'rows out of order: the first event is stored at seq 2',
    });
  });

  it('reports a row planted before the start of the chain', async () => {
    const columns = 'time, actor_did, actor_role, actor_method, action, target_type, target_id, before, after, ip, request_id, prev_hash, hash';
    await tamper(app.ctx.config.sqlitePath, (db) => db.run(`INSERT INTO audit_events (seq, ${columns}) SELECT 0, ${columns} FROM audit_events WHERE seq = 1`));
    expect((await app.call('GET', '/api/admin/audit/verify', { role: 'owner' })).json).toMatchObject({ ok: false, brokenAt: 0, problem: 'edited' });
  });
});
