import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startTestApp, makeDataDir, type TestApp } from '@tests/fixtures/test-app';
import { makeUsageRecord } from '@tests/fixtures/usage-records';
import { UsageRecordRow } from '@api/models';
import { createLogger } from '@api/log';
import { UsageJournal, JOURNAL_DIR } from '@api/usage/journal';
import { BatchWriter } from '@api/usage/batch-writer';
import * as journalLines from '@api/usage/journal-lines';
import { toJournalLine, type JournalEntry } from '@api/usage/journal-lines';
import { fsyncIntervalFromEnv } from '@api/usage/usage-store';
import { toUsageRow } from '@api/usage/usage-rows';

const log = createLogger({ level: 'silent' });
const journalDir = (dataDir: string) => path.join(dataDir, JOURNAL_DIR);
const segmentsIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort() : []);
const entry = (recordId: string, overrides = {}): JournalEntry => ({ recordId, ...makeUsageRecord(overrides) });

/** A segment as a process that died would leave it, with a lock naming that process. */
function writeForeignSegment(dataDir: string, instanceId: string, content: string, lock?: { pid: number; host?: string; ageMs?: number }): string {
  const dir = journalDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${instanceId}-000001.jsonl`);
  fs.writeFileSync(file, content);
  if (lock) {
    const lockFile = path.join(dir, `${instanceId}.lock`);
    fs.writeFileSync(lockFile, JSON.stringify({ pid: lock.pid, host: lock.host ?? os.hostname() }));
    const at = new Date(Date.now() - (lock.ageMs ?? 0));
    fs.utimesSync(lockFile, at, at);
  }
  return file;
}

/** A pid that just exited: as good as the pid of a process killed with SIGKILL. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid as number;

describe('usage journal and batch writer', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('stores what toUsageRow gives: strings cut to the column sizes without NUL, nulls, booleans and numbers as they are', async () => {
    const started = await startTestApp({ logLevel: 'silent' });
    app = started;
    const records = [
      makeUsageRecord({ model: `a\u0000b${'m'.repeat(600)}`, account: 'x'.repeat(80), errorCode: 'E'.repeat(70), costUsd: 0.000125, ttfbMs: 12.5, stream: true }),
      makeUsageRecord({ model: 'plain', keyId: null, accountId: null, account: null, upstreamModel: null, credentialId: null, costUsd: null, ttfbMs: null, errorCode: null, tokensEstimated: true }),
      makeUsageRecord({ model: 'ünïcödé 模型 🙂', did: 'z'.repeat(200) }),
      // What a client may put in a model name: quotes, backslashes and line breaks come back as sent.
      makeUsageRecord({ model: "it's \\'); DROP TABLE usage_records; --", account: "back\\slash\n'' end", upstreamModel: "'" }),
    ];
    await Promise.all(records.map((record) => started.ctx.usage.record(record)));
    const dir = journalDir(started.dataDir);
    const lines = segmentsIn(dir).flatMap((name) => fs.readFileSync(path.join(dir, name), 'utf8').split('\n').filter(Boolean));
    await started.ctx.usageStore.flush();
    const expected = lines.map((line) => toUsageRow(JSON.parse(line) as JournalEntry));
    const [rows] = await started.ctx.sequelize.query('SELECT * FROM usage_records ORDER BY record_id');
    const stored = (rows as Array<Record<string, unknown>>).map((row): Record<string, unknown> => {
      const picked: Record<string, unknown> = {};
      for (const name of Object.keys(expected[0])) picked[name] = row[name];
      return { ...picked, stream: Boolean(picked.stream), tokens_estimated: Boolean(picked.tokens_estimated), started_at: Number(picked.started_at) };
    });
    expect(stored).toEqual(expected);
    expect(stored[0].model).toBe(`ab${'m'.repeat(510)}`);
    expect(stored[0].account).toHaveLength(64);
    expect(stored[1].cost_usd).toBeNull();
    expect(stored[3]).toMatchObject({ model: "it's \\'); DROP TABLE usage_records; --", account: "back\\slash\n'' end", upstream_model: "'" });
  });

  it('appends each record as one JSON line before record() resolves, then moves it into the database in the background', async () => {
    app = await startTestApp({ logLevel: 'silent' });
    const record = makeUsageRecord({ model: 'model-x', costUsd: 0.25, stream: true });
    await app.ctx.usage.record(record);
    const [segment] = segmentsIn(journalDir(app.dataDir));
    const lines = fs.readFileSync(path.join(journalDir(app.dataDir), segment), 'utf8').split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0])).toMatchObject({ ...record, recordId: expect.any(String) });

    await app.ctx.usageStore.flush();
    const rows = await UsageRecordRow.findAll({ raw: true });
    expect(rows).toHaveLength(1);
    expect({ ...rows[0], startedAt: Number(rows[0].startedAt), stream: Boolean(rows[0].stream), tokensEstimated: Boolean(rows[0].tokensEstimated) })
      .toMatchObject({ ...record, recordId: JSON.parse(lines[0]).recordId });
  });

  it('writes the records of one turn of the event loop with one write, and resolves written() once they are in the file', async () => {
    const dir = journalDir(makeDataDir());
    const journal = UsageJournal.open({ dir, log });
    const writes = jest.spyOn(fs, 'writeSync');
    try {
      const ids = [1, 2, 3].map((i) => journal.append(makeUsageRecord({ promptTokens: i })));
      const written = journal.written();
      // Nothing is on disk until the turn ends.
      expect(journal.segments).toHaveLength(0);
      await written;
      const [segment] = journal.segments;
      expect(writes.mock.calls.filter(([fd]) => fd === segment.fd)).toHaveLength(1);
      const lines = fs.readFileSync(segment.path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as JournalEntry);
      expect(lines.map((line) => [line.recordId, line.promptTokens])).toEqual([[ids[0], 1], [ids[1], 2], [ids[2], 3]]);
      expect(segment.written.map((w) => [w.start, w.end])).toEqual([0, 1, 2].map((i) => {
        const start = lines.slice(0, i).reduce((sum, line) => sum + Buffer.byteLength(toJournalLine(line)), 0);
        return [start, start + Buffer.byteLength(toJournalLine(lines[i]))];
      }));
      await expect(journal.written()).resolves.toBeUndefined();
    } finally {
      writes.mockRestore();
      journal.close();
    }
  });

  it('writes a record that is alone at once, and leaves the others for the end of the turn', async () => {
    app = await startTestApp({ logLevel: 'silent' });
    const dir = journalDir(app.dataDir);
    const linesNow = () => segmentsIn(dir).flatMap((name) => fs.readFileSync(path.join(dir, name), 'utf8').split('\n').filter(Boolean));
    const shared = app.ctx.usage.record(makeUsageRecord({ model: 'shared' }));
    // Not alone: nothing is in the file before the turn ends.
    expect(linesNow()).toEqual([]);
    const alone = app.ctx.usage.record(makeUsageRecord({ model: 'alone' }), true);
    // Alone: in the file when record() returns, with the one still waiting before it.
    expect(linesNow().map((line) => (JSON.parse(line) as JournalEntry).model)).toEqual(['shared', 'alone']);
    await Promise.all([shared, alone]);
    expect(linesNow()).toHaveLength(2);
  });

  it('logs a failed write with the number of records it lost, still resolves written(), and goes on in a new segment', async () => {
    const dir = journalDir(makeDataDir());
    const lines: Array<{ msg: string; lost?: number }> = [];
    const captured = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(JSON.parse(line)) } });
    const journal = UsageJournal.open({ dir, log: captured });
    journal.append(makeUsageRecord());
    await journal.written();
    const [first] = journal.segments;
    const writes = jest.spyOn(fs, 'writeSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    try {
      journal.append(makeUsageRecord());
      journal.append(makeUsageRecord());
      await expect(journal.written()).resolves.toBeUndefined();
    } finally {
      writes.mockRestore();
    }
    expect(lines).toEqual([expect.objectContaining({ msg: 'usage journal write failed; records lost', lost: 2 })]);
    expect(first.sealed).toBe(true);
    const id = journal.append(makeUsageRecord());
    await journal.written();
    expect(journal.segments).toHaveLength(2);
    expect(fs.readFileSync(journal.segments[1].path, 'utf8')).toContain(id);
    journal.close();
  });

  it('finishes a short write, even one that stops inside a multi-byte character, so every line is whole', async () => {
    const dir = journalDir(makeDataDir());
    const journal = UsageJournal.open({ dir, log });
    const realWrite = fs.writeSync.bind(fs) as (fd: number, data: Uint8Array) => number;
    let cut = 0;
    // The kernel takes only the bytes up to the middle of the first "ü": the rest must follow.
    const writes = jest.spyOn(fs, 'writeSync').mockImplementationOnce(((fd: number, text: string) => {
      const bytes = Buffer.from(text);
      cut = bytes.indexOf(Buffer.from('ü')) + 1;
      return realWrite(fd, bytes.subarray(0, cut));
    }) as typeof fs.writeSync);
    try {
      journal.append(makeUsageRecord({ model: 'grüße-model' }));
      journal.append(makeUsageRecord({ model: 'zweite 👋' }));
      await journal.written();
    } finally {
      writes.mockRestore();
    }
    expect(cut).toBeGreaterThan(1);
    const [segment] = journal.segments;
    const text = fs.readFileSync(segment.path, 'utf8');
    expect(text.trimEnd().split('\n').map((line) => (JSON.parse(line) as JournalEntry).model)).toEqual(['grüße-model', 'zweite 👋']);
    expect(segment.size).toBe(Buffer.byteLength(text));
    journal.close();
  });

  it('keeps two calls that share a client-chosen request id as two records', async () => {
    app = await startTestApp({ logLevel: 'silent' });
    app.ctx.usage.record(makeUsageRecord({ requestId: 'client-chosen-id' }));
    app.ctx.usage.record(makeUsageRecord({ requestId: 'client-chosen-id' }));
    await app.ctx.usageStore.flush();
    expect(await UsageRecordRow.count({ where: { requestId: 'client-chosen-id' } })).toBe(2);
  });

  it('leaves no segment behind after a clean shutdown', async () => {
    app = await startTestApp({ logLevel: 'silent' });
    for (let i = 0; i < 10; i += 1) app.ctx.usage.record(makeUsageRecord());
    const { dataDir } = app;
    await app.close();
    expect(fs.readdirSync(journalDir(dataDir))).toEqual([]);
    app = await startTestApp({ dataDir, logLevel: 'silent' });
    expect(app.ctx.usageStore.replayed.records).toBe(0);
    expect(await UsageRecordRow.count()).toBe(10);
  });

  it('deletes a segment only once it is sealed and all its records are committed, and keeps it while inserts fail', async () => {
    const dir = journalDir(makeDataDir());
    const journal = UsageJournal.open({ dir, log, maxSegmentBytes: 1500 });
    const inserted: JournalEntry[] = [];
    let failing = true;
    const writer = new BatchWriter(journal, async (entries) => {
      if (failing) throw new Error('database is locked');
      inserted.push(...entries);
    }, log, { batchSize: 4 });
    const ids = Array.from({ length: 10 }, () => journal.append(makeUsageRecord()));
    // Written together, the ten still fill segments only up to their size.
    journal.flush();
    const written = segmentsIn(dir);
    expect(written.length).toBeGreaterThan(2);
    expect(fs.statSync(path.join(dir, written[written.length - 1])).size).toBeLessThan(1500);

    await expect(writer.flush()).rejects.toThrow('database is locked');
    expect(segmentsIn(dir)).toEqual(written);
    expect(inserted).toHaveLength(0);

    failing = false;
    await writer.flush();
    expect(inserted.map((e) => e.recordId)).toEqual(ids);
    // Every sealed segment is gone; the active one stays until it is due or the writer stops.
    expect(segmentsIn(dir)).toEqual([written[written.length - 1]]);

    await writer.stop();
    journal.close();
    expect(segmentsIn(dir)).toEqual([]);
    expect(inserted).toHaveLength(10);
  });

  it('inserts what this process wrote from memory, exactly as the disk holds it, and falls back to the disk for any gap', async () => {
    const dir = journalDir(makeDataDir());
    const journal = UsageJournal.open({ dir, log });
    const inserted: JournalEntry[][] = [];
    let failNext = false;
    const writer = new BatchWriter(journal, async (entries) => {
      if (failNext) {
        failNext = false;
        throw new Error('database is locked');
      }
      inserted.push(entries);
    }, log, { batchSize: 3 });
    const diskReads = jest.spyOn(journalLines, 'readJournalLines');
    for (let i = 0; i < 2; i++) journal.append(makeUsageRecord({ promptTokens: i }));
    journal.flush();
    const segment = journal.segments[0];
    expect(segment.written).toHaveLength(2);
    await writer.flush();
    // Straight from memory: nothing was read back from the file.
    expect(diskReads).not.toHaveBeenCalled();
    for (let i = 2; i < 7; i++) journal.append(makeUsageRecord({ promptTokens: i }));
    // A failed insert leaves its records to the disk reader; the rest still come from memory.
    failNext = true;
    await expect(writer.flush()).rejects.toThrow('database is locked');
    await writer.flush();
    expect(segment.written).toHaveLength(0);
    const onDisk = fs.readFileSync(segment.path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as JournalEntry);
    const all = inserted.flat();
    expect(all).toEqual(onDisk);
    expect(all.map((e) => e.promptTokens)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // A record memory no longer holds (as when more than the cap were waiting) is read from the file.
    journal.append(makeUsageRecord({ promptTokens: 7 }));
    journal.append(makeUsageRecord({ promptTokens: 8 }));
    journal.flush();
    segment.written.splice(0, 1);
    inserted.length = 0;
    await writer.flush();
    expect(inserted.flat().map((e) => e.promptTokens)).toEqual([7, 8]);
    expect(diskReads).toHaveBeenCalled();
    diskReads.mockRestore();
    await writer.stop();
    journal.close();
  });

  it('on its timer, inserts what arrived during an insert with the next tick, as one batch, instead of a trickle', async () => {
    const dir = journalDir(makeDataDir());
    const journal = UsageJournal.open({ dir, log });
    const batches: number[][] = [];
    let arriveDuringInsert = 0;
    const writer = new BatchWriter(journal, async (entries) => {
      batches.push(entries.map((e) => e.promptTokens));
      // Calls that end while the database is busy with this batch.
      for (; arriveDuringInsert > 0; arriveDuringInsert -= 1) journal.append(makeUsageRecord({ promptTokens: 100 + arriveDuringInsert }));
    }, log, { batchSize: 4 });
    for (let i = 0; i < 3; i++) journal.append(makeUsageRecord({ promptTokens: i }));
    arriveDuringInsert = 2;
    await writer.drain(false);
    // The two that arrived meanwhile wait for the next tick rather than going in as a batch of two.
    expect(batches).toEqual([[0, 1, 2]]);
    journal.append(makeUsageRecord({ promptTokens: 3 }));
    await writer.drain(false);
    expect(batches).toEqual([[0, 1, 2], [102, 101, 3]]);
    // A full batch means more is waiting: the pass goes on until a batch is not full.
    batches.length = 0;
    for (let i = 0; i < 10; i++) journal.append(makeUsageRecord({ promptTokens: i }));
    await writer.drain(false);
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
    // flush() takes everything, arrivals during its inserts included.
    batches.length = 0;
    journal.append(makeUsageRecord({ promptTokens: 50 }));
    arriveDuringInsert = 3;
    await writer.flush();
    expect(batches.flat()).toEqual([50, 103, 102, 101]);
    expect(writer.committed).toBe(3 + 1 + 2 + 10 + 4);
    await writer.stop();
    journal.close();
  });

  it('rotates an idle segment once it is caught up and old enough', async () => {
    const dir = journalDir(makeDataDir());
    let now = 1_000_000;
    const journal = UsageJournal.open({ dir, log, maxSegmentAgeMs: 60_000, now: () => now });
    const writer = new BatchWriter(journal, async () => undefined, log);
    journal.append(makeUsageRecord());
    await journal.written();
    const [first] = segmentsIn(dir);
    await writer.flush();
    expect(segmentsIn(dir)).toEqual([first]);
    now += 60_000;
    await writer.flush();
    expect(segmentsIn(dir)).toEqual([]);
    journal.append(makeUsageRecord());
    await journal.written();
    expect(segmentsIn(dir)).toHaveLength(1);
    expect(segmentsIn(dir)[0]).not.toBe(first);
    await writer.stop();
    journal.close();
  });

  it('fsyncs when KEYHOLD_USAGE_FSYNC=1 and refuses a bad value at start with the variable named', async () => {
    expect(fsyncIntervalFromEnv({})).toBeNull();
    expect(fsyncIntervalFromEnv({ KEYHOLD_USAGE_FSYNC: '1' })).toBe(1000);
    expect(fsyncIntervalFromEnv({ KEYHOLD_USAGE_FSYNC: '1', KEYHOLD_USAGE_FSYNC_MS: '50' })).toBe(50);
    expect(() => fsyncIntervalFromEnv({ KEYHOLD_USAGE_FSYNC: 'yes' })).toThrow(/KEYHOLD_USAGE_FSYNC "yes"/);
    expect(() => fsyncIntervalFromEnv({ KEYHOLD_USAGE_FSYNC: '1', KEYHOLD_USAGE_FSYNC_MS: '5' })).toThrow(/KEYHOLD_USAGE_FSYNC_MS/);
    await expect(startTestApp({ logLevel: 'silent', env: { KEYHOLD_USAGE_FSYNC: 'always' } })).rejects.toThrow(/KEYHOLD_USAGE_FSYNC/);

    app = await startTestApp({ logLevel: 'silent', env: { KEYHOLD_USAGE_FSYNC: '1', KEYHOLD_USAGE_FSYNC_MS: '10' } });
    for (let i = 0; i < 5; i += 1) app.ctx.usage.record(makeUsageRecord());
    await new Promise((resolve) => setTimeout(resolve, 30));
    await app.ctx.usageStore.flush();
    expect(await UsageRecordRow.count()).toBe(5);
  });
});

describe('usage journal replay at start', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('inserts records that were journaled but never reached the database, then deletes their segments', async () => {
    const dataDir = makeDataDir();
    // A journal that wrote and stopped before its batch writer ran (as if killed).
    const journal = UsageJournal.open({ dir: journalDir(dataDir), log });
    const fromClosed = Array.from({ length: 5 }, () => makeUsageRecord());
    for (const record of fromClosed) journal.append(record);
    journal.close();
    // A process killed with SIGKILL: its lock is fresh, but its pid is gone.
    const fromKilled = [entry('dead.1'), entry('dead.2'), entry('dead.3')];
    writeForeignSegment(dataDir, 'killedinstance', fromKilled.map(toJournalLine).join(''), { pid: deadPid() });

    app = await startTestApp({ dataDir, logLevel: 'silent' });
    expect(app.ctx.usageStore.replayed).toEqual({ segments: 2, records: 8, skipped: 0 });
    const stored = await UsageRecordRow.findAll({ attributes: ['requestId'], raw: true });
    expect(stored.map((r) => r.requestId).sort()).toEqual([...fromClosed, ...fromKilled].map((r) => r.requestId).sort());
    const own = app.ctx.usageStore.journal.instanceId;
    expect(fs.readdirSync(journalDir(dataDir)).filter((n) => !n.startsWith(own))).toEqual([]);
  });

  it('inserts nothing twice: a record already in the database is skipped on replay', async () => {
    const dataDir = makeDataDir();
    const lines = [entry('same.1'), entry('same.2'), entry('same.3')].map(toJournalLine).join('');
    writeForeignSegment(dataDir, 'firstcopy', lines);
    writeForeignSegment(dataDir, 'secondcopy', lines);
    app = await startTestApp({ dataDir, logLevel: 'silent' });
    expect(app.ctx.usageStore.replayed.records).toBe(6);
    expect(await UsageRecordRow.count()).toBe(3);
  });

  it('skips a torn last line and a garbled line with a warning, and still starts', async () => {
    const dataDir = makeDataDir();
    const good = [entry('torn.1'), entry('torn.2')];
    const torn = toJournalLine(entry('torn.3')).slice(0, 57);
    writeForeignSegment(dataDir, 'tornwrite', `${toJournalLine(good[0])}{"recordId":"garbled",\n${toJournalLine(good[1])}${torn}`, { pid: deadPid() });
    app = await startTestApp({ dataDir, logLevel: 'debug' });
    expect(app.ctx.usageStore.replayed).toEqual({ segments: 1, records: 2, skipped: 2 });
    expect(await UsageRecordRow.count()).toBe(2);
    expect(app.logs.some((line) => line.includes('torn last line'))).toBe(true);
    expect((await app.call('GET', '/api/health')).status).toBe(200);
  });

  it('leaves alone the segments of a journal still open in another live process, until its lock goes stale', async () => {
    const dataDir = makeDataDir();
    const file = writeForeignSegment(dataDir, 'liveinstance', toJournalLine(entry('live.1')), { pid: process.ppid });
    app = await startTestApp({ dataDir, logLevel: 'silent' });
    expect(app.ctx.usageStore.replayed.segments).toBe(0);
    expect(fs.existsSync(file)).toBe(true);
    await app.close();

    // No heartbeat for two minutes: the owner is gone (or its pid was reused).
    const lockFile = path.join(journalDir(dataDir), 'liveinstance.lock');
    const old = new Date(Date.now() - 120_000);
    fs.utimesSync(lockFile, old, old);
    app = await startTestApp({ dataDir, logLevel: 'silent' });
    expect(app.ctx.usageStore.replayed.records).toBe(1);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(lockFile)).toBe(false);
  });
});
