import { UsageHub } from '@api/audit/usage-record';
import { createLogger } from '@api/log';
import { makeUsageRecord } from '@tests/fixtures/usage-records';

const nextTick = () => new Promise((resolve) => process.nextTick(resolve));

function hubAt(level: string) {
  const lines: Array<{ level: number; msg: string; status: number; errorCode: string | null }> = [];
  const hub = new UsageHub(createLogger({ level, destination: { write: (line: string) => lines.push(JSON.parse(line)) } }));
  return { hub, lines };
}

describe('the per-call log line', () => {
  it('logs a failed call at info and a call that went well only at debug, after the listeners ran', async () => {
    const { hub, lines } = hubAt('info');
    const seen: string[] = [];
    hub.subscribe((record) => void seen.push(`${record.status}:${lines.length}`));
    hub.record(makeUsageRecord({ status: 200 }));
    hub.record(makeUsageRecord({ status: 429, errorCode: 'ERR_RATE_LIMITED' }));
    hub.record(makeUsageRecord({ status: 502, errorCode: 'ERR_GATEWAY_UPSTREAM' }));
    // The journal (a listener) has each record before any line is written.
    expect(seen).toEqual(['200:0', '429:0', '502:0']);
    await nextTick();
    expect(lines.map((line) => [line.msg, line.level, line.status, line.errorCode])).toEqual([
      ['model call', 30, 429, 'ERR_RATE_LIMITED'],
      ['model call', 30, 502, 'ERR_GATEWAY_UPSTREAM'],
    ]);
  });

  it('logs every call at debug', async () => {
    const { hub, lines } = hubAt('debug');
    hub.record(makeUsageRecord({ status: 200 }));
    hub.record(makeUsageRecord({ status: 400, errorCode: 'ERR_VALIDATION' }));
    await nextTick();
    expect(lines.map((line) => [line.level, line.status])).toEqual([[20, 200], [30, 400]]);
  });
});
