import { startTestApp, type TestApp } from '@tests/fixtures/test-app';
import { verifyAuditChain } from '@api/audit/verify';
import { AuditEvent } from '@api/models';

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp({ logLevel: 'silent' });
  for (const name of ['a1', 'a2', 'a3', 'a4']) await app.call('POST', '/api/admin/accounts', { role: 'owner', body: { name, type: 'openai' } });
});
afterEach(() => app.close());

const sql = (query: string) => app.ctx.sequelize.query(query);

describe('audit hash chain', () => {
  it('links every event to the previous one and verifies', async () => {
    const events = await AuditEvent.findAll({ order: [['seq', 'ASC']] });
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(events[0].prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < events.length; i += 1) expect(events[i].prevHash).toBe(events[i - 1].hash);
    expect(await verifyAuditChain()).toEqual({ ok: true, events: 4, head: events[3].hash });
  });

  it('reports an edited row at its seq', async () => {
    await sql(`UPDATE audit_events SET actor_did = 'z-someone-else' WHERE seq = 2`);
    expect(await verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 2, reason: 'event content does not match its hash' });
  });

  it('reports a deleted row at the missing seq', async () => {
    await sql('DELETE FROM audit_events WHERE seq = 3');
    expect(await verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 3, reason: 'seq 3 is missing' });
  });

  it('reports two reordered rows at the first of them', async () => {
    // Swap the contents of seq 2 and 3, keeping the seq numbers in place.
    await sql('UPDATE audit_events SET seq = -2 WHERE seq = 2');
    await sql('UPDATE audit_events SET seq = 2 WHERE seq = 3');
    await sql('UPDATE audit_events SET seq = 3 WHERE seq = -2');
    expect(await verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 2 });
  });
});
