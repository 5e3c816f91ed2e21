// `npm run bench:usage`: sustained usage-record ingestion, journal -> SQLite, through the same path a
// model call takes (UsageHub.record -> journal append -> batch writer -> usage_records). Each round
// offers records as fast as one process can produce them, yielding to the event loop between bursts
// as a server would, and ends when the last one is committed. Every record is counted at the end.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { prepareEnvironment } from '../../api/runtime-env';
import { createContext, type AppContext } from '../../api/context';
import { createLogger } from '../../api/log';
import { UsageRecordRow } from '../../api/models/usage-record';
import { makeUsageRecord } from '../../tests/fixtures/usage-records';
import { median } from './stats';

const ROUNDS = 5;
const RECORDS_PER_ROUND = 50_000;
const BURST = 500;
const TARGET_PER_SECOND = 10_000;

interface RoundResult {
  perSecond: number;
  appendMicros: number;
  /** Process CPU (user + system, every thread: producing, journaling, SQLite) per record. */
  cpuMicros: number;
  peakBacklog: number;
}

async function runRound(ctx: AppContext, records: number): Promise<RoundResult> {
  const writer = ctx.usageStore.writer;
  const committedBefore = writer.committed;
  let appendNanos = 0n;
  let peakBacklog = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let produced = 0; produced < records; ) {
    const burstStart = process.hrtime.bigint();
    for (let i = 0; i < BURST && produced < records; i += 1, produced += 1) {
      // Random request ids, as the gateway makes them: sequential ones would flatter any index on them.
      ctx.usage.record(makeUsageRecord({ requestId: crypto.randomUUID(), did: `z-bench-${produced % 50}`, keyId: `k${produced % 200}`, model: `model-${produced % 8}` }));
    }
    appendNanos += process.hrtime.bigint() - burstStart;
    peakBacklog = Math.max(peakBacklog, produced - (writer.committed - committedBefore));
    await nextTurn();
  }
  await ctx.usageStore.flush();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return { perSecond: records / seconds, appendMicros: Number(appendNanos) / 1000 / records, cpuMicros: (cpu.user + cpu.system) / records, peakBacklog };
}

async function bench(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-bench-usage-'));
  process.env.KEYHOLD_DATA_DIR = dataDir;
  const { config } = prepareEnvironment();
  const ctx = await createContext(config, { log: createLogger({ level: 'silent' }) });
  try {
    await runRound(ctx, 10_000); // warm-up
    const results: RoundResult[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) results.push(await runRound(ctx, RECORDS_PER_ROUND));

    const offered = 10_000 + ROUNDS * RECORDS_PER_ROUND;
    const stored = await UsageRecordRow.count();
    const distinct = await UsageRecordRow.count({ distinct: true, col: 'requestId' });
    const lost = offered - distinct;

    process.stdout.write(`usage ingestion, journal -> SQLite (WAL), ${ROUNDS} rounds of ${RECORDS_PER_ROUND.toLocaleString('en-US')} records\n`);
    results.forEach((r, i) =>
      process.stdout.write(
        `round ${i + 1}${Math.round(r.perSecond).toLocaleString('en-US').padStart(12)} records/s` +
          `${r.appendMicros.toFixed(2).padStart(9)} µs/append${r.cpuMicros.toFixed(1).padStart(8)} µs CPU/record` +
          `${r.peakBacklog.toLocaleString('en-US').padStart(9)} peak backlog\n`,
      ),
    );
    const perSecond = median(results.map((r) => r.perSecond));
    process.stdout.write(`\nmedian ${Math.round(perSecond).toLocaleString('en-US')} records/s (target: >= ${TARGET_PER_SECOND.toLocaleString('en-US')}), `);
    process.stdout.write(`append ${median(results.map((r) => r.appendMicros)).toFixed(2)} µs, CPU ${median(results.map((r) => r.cpuMicros)).toFixed(1)} µs per record (medians)\n`);
    process.stdout.write(`records offered ${offered.toLocaleString('en-US')}, stored ${stored.toLocaleString('en-US')}, lost ${lost}, duplicated ${stored - distinct}\n`);
    if (lost !== 0 || stored !== distinct) process.exitCode = 1;
  } finally {
    await ctx.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

bench().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
