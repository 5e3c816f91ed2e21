// The settler's count of open calls: a record is `alone` (written at once) only when no other call
// is open, however the calls interleave, and each call leaves the count exactly once.
import type { ServerResponse } from 'node:http';
import type { UsageRecord, UsageRecorder } from '@api/audit/usage-record';
import { createLogger } from '@api/log';
import { ClientAbortSignal, type GatewayCall } from '@api/gateway/gateway-call';
import { OpenCalls, createSettler, type CallOutcome } from '@api/gateway/usage-capture';

const log = createLogger({ level: 'silent' });

function makeCall(requestId: string): GatewayCall {
  return {
    principal: { kind: 'key', did: 'z-member', role: 'member', keyId: 'k1', scopes: [] },
    requestId,
    res: {} as ServerResponse,
    headers: [],
    signal: new ClientAbortSignal(),
    startedAt: 0,
    startedAtEpoch: Date.now(),
  };
}

function settlerFor(requestId: string, recorder: UsageRecorder, open: OpenCalls): () => Promise<void> {
  const outcome: CallOutcome = { model: 'm', stream: false, status: 200, errorCode: null, usage: null, estimated: false, ttfbMs: null };
  return createSettler(recorder, makeCall(requestId), 'chat.completions', outcome, { attempts: 1, last: null }, () => null, log, open);
}

describe('open calls and the usage record', () => {
  const seen: Array<[string, boolean | undefined]> = [];
  const recorder: UsageRecorder = { record: (record: UsageRecord, alone?: boolean) => (seen.push([record.requestId, alone]), Promise.resolve()) };
  beforeEach(() => (seen.length = 0));

  it('marks a record alone only when its call is the only one open', async () => {
    const open = new OpenCalls();
    const a = settlerFor('a', recorder, open);
    const b = settlerFor('b', recorder, open);
    expect(open.count).toBe(2);
    await a();
    const c = settlerFor('c', recorder, open);
    await c();
    await b();
    expect(seen).toEqual([['a', false], ['c', false], ['b', true]]);
    expect(open.count).toBe(0);
    const d = settlerFor('d', recorder, open);
    await d();
    expect(seen.at(-1)).toEqual(['d', true]);
  });

  it('counts a call once however often it settles', async () => {
    const open = new OpenCalls();
    const a = settlerFor('a', recorder, open);
    const b = settlerFor('b', recorder, open);
    await Promise.all([a(), a(), a()]);
    expect(open.count).toBe(1);
    await b();
    await b();
    expect(open.count).toBe(0);
    expect(seen).toEqual([['a', false], ['b', true]]);
  });
});
