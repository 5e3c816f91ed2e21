// `npm run bench:gateway`: the same chat completion sent direct to the fake upstream, through a bare
// pass-through proxy (the floor any Node gateway pays) and through Keyhold (API key, one authorization
// rule, usage recording), at concurrency 1 and 16, JSON and streaming. It does not measure the providers.
//
// Fairness on a small machine: the load generator runs here, and each server under test runs in its own
// child process (scripts/bench/gateway-servers.ts): one fake upstream that all three paths reach, the
// proxy, and Keyhold. So every path has the same fake in the same placement, and no server shares an
// event loop with the client. Cells run in interleaved rounds; the table shows medians across rounds.
// The servers run as compiled JavaScript (bundled once with esbuild), as Blocklet Server runs Keyhold
// from dist/, not through tsx's on-the-fly compiler and source-mapped stack traces.
// KEYHOLD_BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the Keyhold child into <dir>.
//
// For the comparison the issue asks for, the Portkey gateway (npm @portkey-ai/gateway 1.15.2, a
// devDependency) runs as a fourth path, JSON only: its streaming fails on Node 20 (it appends to an
// immutable Headers object and answers "Something went wrong"). It forwards to the same fake.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Pool, request } from 'undici';
import { build } from 'esbuild';
import { GOOD_KEYS } from '../../tests/fixtures/fake-upstream/accounts';
import type { ServerReady } from './gateway-servers';
import { median, percentile } from './stats';

const ROUNDS = 5;
const WARMUP_REQUESTS = 300;
const C1_REQUESTS = 1000;
const C16_MS = 2000;
const CONCURRENCIES = [1, 16] as const;
const MODES = ['json', 'stream'] as const;
const TARGETS = ['direct', 'proxy', 'keyhold', 'portkey'] as const;
const PORTKEY_MODES: readonly Mode[] = ['json'];
const PORTKEY_ENTRY = '@portkey-ai/gateway/build/start-server.js';
const ADDED_LATENCY_TARGET = 1.3;
const THROUGHPUT_TARGET = 0.7;

type Mode = (typeof MODES)[number];
type TargetName = (typeof TARGETS)[number];

interface Target {
  name: TargetName;
  /** The process that answers this target's requests (the fake itself for direct). */
  server: Child;
  pool: Pool;
  headers: Record<string, string>;
  bodies: Record<Mode, string>;
  modes: readonly Mode[];
}

interface CellResult {
  p50: number;
  p99: number;
  rps: number;
  requests: number;
  /** CPU time (user + system) of the target's own server process per request, in microseconds. */
  cpuMicros: number;
}

interface Child {
  ready: ServerReady;
  /** The child's CPU time so far (user + system), in microseconds. */
  readCpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../..');
// Inside node_modules so the bundle's external packages resolve from the project's node_modules.
const SERVERS_JS = path.join(ROOT, 'node_modules/.cache/keyhold-bench/gateway-servers.js');
const children = new Set<ChildProcess>();

/** Compiles the server entry and everything it imports into one CommonJS file (packages stay external). */
async function compileServers(): Promise<void> {
  await build({
    entryPoints: [path.join(ROOT, 'scripts/bench/gateway-servers.ts')],
    outfile: SERVERS_JS,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    logLevel: 'warning',
  });
}

/** Starts one server under test in its own Node process and waits for its ready line. */
function startChild(kind: 'fake' | 'proxy' | 'keyhold', upstream?: string, nodeArgs: string[] = []): Promise<Child> {
  const args = [...nodeArgs, SERVERS_JS, kind, ...(upstream ? [upstream] : [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => (children.delete(child), resolve())));
  child.on('error', () => {}); // a failed send or spawn is reported where it is awaited
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const gone = () => new Error(`the ${kind} server exited (code ${child.exitCode}, signal ${child.signalCode})`);
  const readCpuMicros = () =>
    new Promise<number>((resolve, reject) => {
      if (!child.connected) return reject(gone());
      child.once('message', (usage) => resolve((usage as NodeJS.CpuUsage).user + (usage as NodeJS.CpuUsage).system));
      child.send('cpu', (err) => err && reject(gone()));
    });
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      try {
        resolve({ ready: JSON.parse(line) as ServerReady, readCpuMicros, stop });
      } catch (err) {
        reject(new Error(`${kind} server printed "${line}" instead of its ready line`, { cause: err }));
      }
    });
    void exited.then(() => reject(gone()));
  });
}

/** A free port on 127.0.0.1 (for a server that takes its port on the command line). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** CPU time (user + system) of another process, from /proc (clock ticks of 10 ms). */
function procCpuMicros(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after "pid (comm) ".
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** The Portkey gateway in its own process, as its README starts it; ready once it answers. */
async function startPortkey(): Promise<Child> {
  const port = await freePort();
  const child = spawn(process.execPath, [require.resolve(PORTKEY_ENTRY), `--port=${port}`, '--headless'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => (children.delete(child), resolve())));
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries += 1) {
    if (child.exitCode !== null) throw new Error(`the Portkey gateway exited (code ${child.exitCode})`);
    try {
      await request(`${url}/`, { method: 'GET' }).then((res) => res.body.dump());
      break;
    } catch (err) {
      if (tries > 300) throw new Error('the Portkey gateway did not start within 30 s', { cause: err });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    ready: { url },
    readCpuMicros: async () => procCpuMicros(child.pid as number),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function buildTarget(name: TargetName, server: Child, authorization: string, model: string, extraHeaders: Record<string, string> = {}, modes: readonly Mode[] = MODES): Target {
  const body = (stream: boolean) => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...(stream ? { stream: true } : {}) });
  return {
    name,
    server,
    // One keep-alive pool per target, sized for the highest concurrency.
    pool: new Pool(server.ready.url, { connections: Math.max(...CONCURRENCIES), pipelining: 1, keepAliveTimeout: 30_000 }),
    headers: { authorization, 'content-type': 'application/json', ...extraHeaders },
    bodies: { json: body(false), stream: body(true) },
    modes,
  };
}

/** One request, read to the end and checked; returns its latency in milliseconds. */
async function sendOne(target: Target, mode: Mode): Promise<number> {
  const start = performance.now();
  const res = await target.pool.request({ method: 'POST', path: '/v1/chat/completions', headers: target.headers, body: target.bodies[mode] });
  const text = await res.body.text();
  const elapsed = performance.now() - start;
  if (res.statusCode !== 200) throw new Error(`${target.name} ${mode}: answered ${res.statusCode}: ${text.slice(0, 500)}`);
  if (mode === 'stream') {
    if (!text.trimEnd().endsWith('data: [DONE]')) throw new Error(`${target.name} stream did not end with "data: [DONE]": ${text.slice(-300)}`);
  } else {
    const parsed = JSON.parse(text) as { choices?: unknown };
    if (!Array.isArray(parsed.choices) || parsed.choices.length === 0) throw new Error(`${target.name} json has no choices: ${text.slice(0, 500)}`);
  }
  return elapsed;
}

/** `concurrency` closed loops until `requests` are done, or until `durationMs` has passed. */
async function runCell(target: Target, mode: Mode, concurrency: number, limit: { requests: number } | { durationMs: number }): Promise<CellResult> {
  const latencies: number[] = [];
  const cpuBefore = await target.server.readCpuMicros();
  const start = performance.now();
  const deadline = 'durationMs' in limit ? start + limit.durationMs : Infinity;
  const budget = 'requests' in limit ? limit.requests : Infinity;
  let issued = 0;
  let end = start;
  const loop = async () => {
    while (issued < budget && performance.now() < deadline) {
      issued += 1;
      latencies.push(await sendOne(target, mode));
      end = performance.now();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const cpuMicros = ((await target.server.readCpuMicros()) - cpuBefore) / latencies.length;
  return { p50: median(latencies), p99: percentile(latencies, 99), rps: latencies.length / ((end - start) / 1000), requests: latencies.length, cpuMicros };
}

const cellKey = (concurrency: number, mode: Mode, target: TargetName) => `${concurrency}/${mode}/${target}`;

async function measure(targets: Target[]): Promise<Map<string, CellResult[]>> {
  for (const target of targets) {
    for (const mode of target.modes) await runCell(target, mode, Math.max(...CONCURRENCIES), { requests: WARMUP_REQUESTS });
  }
  const results = new Map<string, CellResult[]>();
  for (let round = 0; round < ROUNDS; round += 1) {
    // Rotate the order each round, so no path always runs right after the same neighbour.
    const order = targets.map((_, i) => targets[(i + round) % targets.length]);
    for (const concurrency of CONCURRENCIES) {
      for (const mode of MODES) {
        for (const target of order) {
          if (!target.modes.includes(mode)) continue;
          const limit = concurrency === 1 ? { requests: C1_REQUESTS } : { durationMs: C16_MS };
          const key = cellKey(concurrency, mode, target.name);
          results.set(key, [...(results.get(key) ?? []), await runCell(target, mode, concurrency, limit)]);
        }
      }
    }
    process.stdout.write(`  round ${round + 1}/${ROUNDS} done\n`);
  }
  return results;
}

function summarize(runs: CellResult[]): CellResult {
  const middle = (pick: (r: CellResult) => number) => median(runs.map(pick));
  return { p50: middle((r) => r.p50), p99: middle((r) => r.p99), rps: middle((r) => r.rps), requests: runs.reduce((n, r) => n + r.requests, 0), cpuMicros: middle((r) => r.cpuMicros) };
}

function report(results: Map<string, CellResult[]>): void {
  const runsOf = (c: number, mode: Mode, target: TargetName) => results.get(cellKey(c, mode, target)) ?? [];
  const cell = (c: number, mode: Mode, target: TargetName) => summarize(runsOf(c, mode, target));
  const write = (text: string) => process.stdout.write(`${text}\n`);
  const range = (values: number[], digits: number) => `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}`;
  write(`\nmedians of ${ROUNDS} rounds; "req/s rounds": lowest and highest round; "requests": total measured;`);
  write(`"server µs/req": CPU time per request of the process that answers (fake for direct, else the proxy, Keyhold or Portkey)`);
  write(`${'cell'.padEnd(24)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'req/s'.padStart(8)}${'req/s rounds'.padStart(15)}${'requests'.padStart(10)}${'server µs/req'.padStart(15)}`);
  for (const c of CONCURRENCIES) {
    for (const mode of MODES) {
      for (const target of TARGETS) {
        if (runsOf(c, mode, target).length === 0) continue;
        const r = cell(c, mode, target);
        const spread = range(runsOf(c, mode, target).map((run) => run.rps), 0);
        write(`${`c=${c}`.padEnd(5)} ${mode.padEnd(7)}${target.padEnd(12)}${r.p50.toFixed(3).padStart(9)}${r.p99.toFixed(3).padStart(9)}${r.rps.toFixed(0).padStart(8)}${spread.padStart(15)}${String(r.requests).padStart(10)}${r.cpuMicros.toFixed(0).padStart(15)}`);
      }
    }
  }
  // Ratios from the medians above; "rounds" shows the same ratio within each round, for the noise.
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  write(`\nadded latency at c=1 (p50 over direct), target: Keyhold's added <= ${ADDED_LATENCY_TARGET}x the proxy's added`);
  for (const mode of MODES) {
    const added = (target: TargetName, r: number) => runsOf(1, mode, target)[r].p50 - runsOf(1, mode, 'direct')[r].p50;
    const perRound = runsOf(1, mode, 'direct').map((_, r) => added('keyhold', r) / added('proxy', r));
    const direct = cell(1, mode, 'direct').p50;
    const proxyAdded = cell(1, mode, 'proxy').p50 - direct;
    const keyholdAdded = cell(1, mode, 'keyhold').p50 - direct;
    const ratio = keyholdAdded / proxyAdded;
    write(`  ${mode.padEnd(6)} keyhold +${keyholdAdded.toFixed(3)} ms, proxy +${proxyAdded.toFixed(3)} ms: ${ratio.toFixed(2)}x (rounds ${range(perRound, 2)})  ${verdict(ratio <= ADDED_LATENCY_TARGET)}`);
  }
  write(`throughput at c=16, target: Keyhold >= ${THROUGHPUT_TARGET * 100}% of the proxy's req/s`);
  for (const mode of MODES) {
    const perRound = runsOf(16, mode, 'keyhold').map((run, r) => (100 * run.rps) / runsOf(16, mode, 'proxy')[r].rps);
    const keyhold = cell(16, mode, 'keyhold').rps;
    const proxy = cell(16, mode, 'proxy').rps;
    const share = keyhold / proxy;
    write(`  ${mode.padEnd(6)} keyhold ${keyhold.toFixed(0)} / proxy ${proxy.toFixed(0)} req/s: ${(share * 100).toFixed(0)}% (rounds ${range(perRound, 0)}%)  ${verdict(share >= THROUGHPUT_TARGET)}`);
  }
  // The issue's comparison: Keyhold, with its checks on, against the Portkey gateway with none of them.
  const portkeyAdded = cell(1, 'json', 'portkey').p50 - cell(1, 'json', 'direct').p50;
  const keyholdAdded = cell(1, 'json', 'keyhold').p50 - cell(1, 'json', 'direct').p50;
  const portkeyRps = cell(16, 'json', 'portkey').rps;
  const keyholdRps = cell(16, 'json', 'keyhold').rps;
  write(`against Portkey (JSON; its streaming fails on Node 20), target: 5x its throughput and a third of its added latency`);
  write(`  throughput at c=16: keyhold ${keyholdRps.toFixed(0)} / portkey ${portkeyRps.toFixed(0)} req/s: ${(keyholdRps / portkeyRps).toFixed(1)}x  ${verdict(keyholdRps >= 5 * portkeyRps)}`);
  write(`  added latency at c=1: keyhold +${keyholdAdded.toFixed(3)} ms, portkey +${portkeyAdded.toFixed(3)} ms: ${(portkeyAdded / keyholdAdded).toFixed(1)}x lower  ${verdict(3 * keyholdAdded <= portkeyAdded)}`);
  write('\nKeyhold path: API key, an allow rule, rpm + tpm limits on the key (in memory), usage record per call.');
}

async function bench(): Promise<void> {
  const cpus = os.cpus();
  process.stdout.write(`machine: ${cpus.length} cpus (${cpus[0]?.model ?? 'unknown'}), node ${process.version}, ${os.platform()} ${os.arch()}\n`);
  process.stdout.write(`rounds: ${ROUNDS}; per cell: ${C1_REQUESTS} requests at c=1, ${C16_MS / 1000} s at c=16; warm-up ${WARMUP_REQUESTS} requests per target and mode\n`);
  const started: Child[] = [];
  const targets: Target[] = [];
  await compileServers();
  try {
    const fake = await startChild('fake');
    started.push(fake);
    const profileDir = process.env.KEYHOLD_BENCH_CPU_PROF;
    const [proxy, keyhold, portkey] = await Promise.all([
      startChild('proxy', fake.ready.url),
      startChild('keyhold', fake.ready.url, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : []),
      startPortkey(),
    ]);
    started.push(proxy, keyhold, portkey);
    if (!keyhold.ready.apiKey) throw new Error('the Keyhold server did not report an API key');
    const upstreamAuth = `Bearer ${GOOD_KEYS.openai}`;
    targets.push(
      buildTarget('direct', fake, upstreamAuth, 'model-a'),
      buildTarget('proxy', proxy, upstreamAuth, 'model-a'),
      buildTarget('keyhold', keyhold, `Bearer ${keyhold.ready.apiKey}`, 'openai-main/model-a'),
      // Portkey's own way to reach an OpenAI-compatible server: provider and custom host per request.
      buildTarget('portkey', portkey, upstreamAuth, 'model-a', { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${fake.ready.url}/v1` }, PORTKEY_MODES),
    );
    report(await measure(targets));
  } finally {
    await Promise.all(targets.map((target) => target.pool.close()));
    for (const child of started.reverse()) await child.stop();
  }
}

// Whatever happens, no server outlives the benchmark.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

bench().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
