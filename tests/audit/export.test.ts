// GET /api/admin/audit/export: JSONL and RFC 4180 CSV, the same filters as the list, paged through
// the table over several pages, admins only, and never a plaintext secret.
import { startTestApp, type TestApp } from '@tests/fixtures/test-app';
import { runWriteTransaction } from '@api/db/write-transaction';
import { appendAuditEvent } from '@api/audit/record';
import type { Actor } from '@api/audit/actor';
import { AuditEvent } from '@api/models';

const SECRET = 'sk-export-known-secret-7f3a9c2e1b4d8a60';
const BULK = 1200;
const BULK_ACTOR: Actor = { did: 'z-bulk-admin', role: 'admin', method: 'loginToken', ip: '127.0.0.1', requestId: null };
const AWKWARD_TARGET = 'a,b "quoted"\r\nnext line';
const CSV_HEADER = ['seq', 'time', 'actor_did', 'actor_role', 'actor_method', 'action', 'target_type', 'target_id', 'before', 'after', 'ip', 'request_id', 'prev_hash', 'hash'];

/** A strict RFC 4180 reader: CRLF records, quotes only around whole fields, "" inside them. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  const endField = () => {
    record.push(field);
    field = '';
  };
  while (i < text.length) {
    if (text[i] === '"' && field === '') {
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i += 1;
          break;
        } else {
          field += text[i];
          i += 1;
        }
      }
      if (i < text.length && text[i] !== ',' && text[i] !== '\r') throw new Error(`text after a closing quote at ${i}`);
    } else if (text[i] === ',') {
      endField();
      i += 1;
    } else if (text[i] === '\r' && text[i + 1] === '\n') {
      endField();
      records.push(record);
      record = [];
      i += 2;
    } else if (text[i] === '"' || text[i] === '\r' || text[i] === '\n') {
      throw new Error(`unquoted ${JSON.stringify(text[i])} at ${i}`);
    } else {
      field += text[i];
      i += 1;
    }
  }
  if (field !== '' || record.length) throw new Error('last record does not end with CRLF');
  return records;
}

function parseJsonl(text: string): any[] {
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n').map((line) => JSON.parse(line));
}

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ logLevel: 'silent' });
  const account = await app.call('POST', '/api/admin/accounts', { role: 'owner', body: { name: 'exp-openai', type: 'openai' } });
  const credential = await app.call('POST', `/api/admin/accounts/${account.json.id}/credentials`, { role: 'admin', body: { name: 'main', type: 'api_key', value: { api_key: SECRET } } });
  expect(credential.status).toBe(201);
  await runWriteTransaction(app.ctx.sequelize, async (tx) => {
    for (let i = 0; i < BULK; i += 1) {
      await appendAuditEvent(tx, BULK_ACTOR, { action: i % 2 ? 'bulk.odd' : 'bulk.even', targetType: 'bulk', targetId: `b-${i}`, after: { i } });
    }
    // `_` in api_key.* must not act as a LIKE wildcard, and a prefix must match case-sensitively.
    await appendAuditEvent(tx, BULK_ACTOR, { action: 'apiXkey.created', targetType: 'bulk', targetId: 'lookalike' });
    await appendAuditEvent(tx, BULK_ACTOR, { action: 'BULK.upper', targetType: 'bulk', targetId: 'upper' });
    await appendAuditEvent(tx, BULK_ACTOR, { action: 'bulk.awkward', targetType: 'bulk', targetId: AWKWARD_TARGET, before: { note: 'comma, "quote"\nnewline' } });
  });
}, 120_000);
afterAll(() => app.close());

const exportOf = (query: string) => app.call('GET', `/api/admin/audit/export?${query}`, { role: 'admin' });

describe('audit export', () => {
  it('streams JSONL over several pages, oldest first, one parseable event per line', async () => {
    const findAll = jest.spyOn(AuditEvent, 'findAll');
    try {
      const res = await exportOf('format=jsonl');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/x-ndjson');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="keyhold-audit-\d{8}T\d{6}Z\.jsonl"$/);
      expect(res.headers.get('content-length')).toBeNull();
      const events = parseJsonl(res.text);
      expect(events.length).toBeGreaterThan(BULK);
      expect(events.map((e) => e.seq)).toEqual(events.map((_e, i) => i + 1));
      for (let i = 1; i < events.length; i += 1) expect(events[i].prevHash).toBe(events[i - 1].hash);
      expect(events.find((e) => e.target.id === 'b-7')).toMatchObject({ action: 'bulk.odd', actor: { did: BULK_ACTOR.did }, after: { i: 7 } });
      // Paged, never the whole table at once.
      expect(findAll.mock.calls.length).toBeGreaterThanOrEqual(3);
      for (const [options] of findAll.mock.calls) expect(options?.limit).toBeLessThanOrEqual(500);
    } finally {
      findAll.mockRestore();
    }
  });

  it('writes RFC 4180 CSV with before/after as JSON text, matching the JSONL export', async () => {
    const [csv, jsonl] = await Promise.all([exportOf('format=csv'), exportOf('format=jsonl')]);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="keyhold-audit-\d{8}T\d{6}Z\.csv"$/);
    const [header, ...records] = parseCsv(csv.text);
    expect(header).toEqual(CSV_HEADER);
    const events = parseJsonl(jsonl.text);
    expect(records).toHaveLength(events.length);
    records.forEach((record, i) => {
      expect(record).toHaveLength(CSV_HEADER.length);
      const row = Object.fromEntries(CSV_HEADER.map((name, k) => [name, record[k]]));
      const event = events[i];
      expect(row).toMatchObject({ seq: String(event.seq), time: event.time, action: event.action, target_type: event.target.type, hash: event.hash, prev_hash: event.prevHash });
      expect(row.target_id).toBe(event.target.id ?? '');
      expect(row.before ? JSON.parse(row.before) : null).toEqual(event.before);
      expect(row.after ? JSON.parse(row.after) : null).toEqual(event.after);
    });
    const awkward = records.find((record) => record[5] === 'bulk.awkward')!;
    expect(awkward[7]).toBe(AWKWARD_TARGET);
    expect(JSON.parse(awkward[8])).toEqual({ note: 'comma, "quote"\nnewline' });
  });

  it('applies the same filters as the list: actor, action prefix, target and time', async () => {
    const all = parseJsonl((await exportOf('format=jsonl')).text);
    const seqs = (events: any[]) => events.map((e) => e.seq);
    const cases: Array<{ query: string; keep: (e: any) => boolean }> = [
      { query: `actor=${BULK_ACTOR.did}`, keep: (e) => e.actor.did === BULK_ACTOR.did },
      { query: 'action=bulk.even', keep: (e) => e.action === 'bulk.even' },
      { query: 'action=bulk.*', keep: (e) => e.action.startsWith('bulk.') },
      { query: 'action=credential.*', keep: (e) => e.action.startsWith('credential.') },
      { query: 'action=api_key.*', keep: () => false },
      { query: 'targetType=bulk&targetId=b-42', keep: (e) => e.target.type === 'bulk' && e.target.id === 'b-42' },
      { query: 'targetType=credential', keep: (e) => e.target.type === 'credential' },
    ];
    const since = all[300].time;
    const until = all[900].time;
    cases.push({ query: `since=${since}&until=${until}&action=bulk.o*`, keep: (e) => e.time >= since && e.time <= until && e.action === 'bulk.odd' });
    for (const { query, keep } of cases) {
      const res = await exportOf(`format=jsonl&${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
      const expected = seqs(all.filter(keep));
      if (query !== 'action=api_key.*') expect({ query, empty: expected.length === 0 }).toEqual({ query, empty: false });
      expect({ query, seqs: res.text ? seqs(parseJsonl(res.text)) : [] }).toEqual({ query, seqs: expected });
      const csvRecords = parseCsv((await exportOf(`format=csv&${query}`)).text).slice(1);
      expect({ query, seqs: csvRecords.map((r) => Number(r[0])) }).toEqual({ query, seqs: expected });
      const list = await app.call('GET', `/api/admin/audit?${query}&limit=500`, { role: 'admin' });
      expect({ query, total: list.json.total }).toEqual({ query, total: expected.length });
    }
    expect(all.filter((e) => e.action === 'bulk.even')).toHaveLength(BULK / 2);
  });

  it('answers an empty selection with an empty JSONL body and a header-only CSV', async () => {
    const jsonl = await exportOf('format=jsonl&actor=z-nobody');
    expect(jsonl).toMatchObject({ status: 200, text: '' });
    expect((await exportOf('format=csv&actor=z-nobody')).text).toBe(`${CSV_HEADER.join(',')}\r\n`);
  });

  it.each([
    ['an unknown format', 'format=xml', 'format'],
    ['a misspelt filter', 'format=csv&actorDid=z-bulk-admin', 'actorDid'],
    ['a * that is not trailing', 'format=csv&action=bulk.*.odd', 'action'],
    ['a date that is not one', 'format=csv&since=yesterday', 'since'],
  ])('rejects %s with a 400 naming the parameter', async (_name, query, param) => {
    const res = await exportOf(query);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'ERR_VALIDATION', param });
  });

  it('is for admins only', async () => {
    expect((await app.call('GET', '/api/admin/audit/export?format=csv', { role: 'member' })).status).toBe(403);
    expect((await app.call('GET', '/api/admin/audit/export?format=jsonl')).status).toBe(401);
    expect((await app.call('GET', '/api/admin/audit/export?format=jsonl', { role: 'owner' })).status).toBe(200);
  });

  it('fails the download, rather than ending it short, when a later page cannot be read', async () => {
    const findAll = AuditEvent.findAll.bind(AuditEvent);
    let pages = 0;
    const spy = jest.spyOn(AuditEvent, 'findAll').mockImplementation(((...args: Parameters<typeof findAll>) => {
      pages += 1;
      return pages === 2 ? Promise.reject(new Error('database went away')) : findAll(...args);
    }) as typeof AuditEvent.findAll);
    try {
      const res = await fetch(`${app.url}/api/admin/audit/export?format=csv`, { headers: { authorization: `Bearer ${app.tokenFor('admin')}` } });
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow('terminated');
    } finally {
      spy.mockRestore();
    }
  });

  it('never contains the plaintext of a credential, only its mask', async () => {
    for (const format of ['jsonl', 'csv']) {
      const { text } = await exportOf(`format=${format}`);
      expect(text).toContain('credential.created');
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(SECRET.slice(4, -4));
      expect(text).not.toContain(SECRET.slice(10, 22));
    }
    const created = parseJsonl((await exportOf('format=jsonl&action=credential.created')).text);
    expect(created).toHaveLength(1);
    expect(JSON.stringify(created[0].after)).toContain(`${SECRET.slice(0, 4)}*`);
  });
});
