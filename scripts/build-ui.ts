// Builds the console (Vite) into dist/public, safely when several processes ask at once: one holds a
// lock directory, builds into a private temporary directory and swaps it in; the others wait and reuse
// it. `npm run build:ui` forces a build; tests and `npm start` call ensureUiBuild() (only when stale/missing).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// The project root, from scripts/ when run with tsx and from dist/scripts/ when compiled.
const ROOT = [path.resolve(__dirname, '..'), path.resolve(__dirname, '..', '..')].find((dir) => fs.existsSync(path.join(dir, 'vite.config.ts'))) ?? path.resolve(__dirname, '..');
const OUT_DIR = path.join(ROOT, 'dist', 'public');
const LOCK_DIR = path.join(ROOT, 'dist', '.ui-build.lock');
const SOURCES = [path.join(ROOT, 'src'), path.join(ROOT, 'vite.config.ts'), path.join(ROOT, 'tsconfig.ui.json')];
// A build takes about a minute on two cores; a lock older than this belongs to a process that died.
const STALE_LOCK_MS = 10 * 60_000;

function newestMtime(entry: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

/** Why the build in dist/public cannot be used as is, or null when it is current. */
export function uiBuildStaleReason(): string | null {
  const index = path.join(OUT_DIR, 'index.html');
  if (!fs.existsSync(index)) return 'dist/public has no index.html';
  const builtAt = fs.statSync(index).mtimeMs;
  return SOURCES.some((source) => newestMtime(source) > builtAt) ? 'src/ changed since the last UI build' : null;
}

function runVite(outDir: string): Promise<void> {
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', path.join(ROOT, 'vite.config.ts'), '--logLevel', 'warn'], {
      cwd: ROOT,
      // Always a production build: Jest sets NODE_ENV=test, which would give React's development bundle.
      env: { ...process.env, NODE_ENV: 'production', KEYHOLD_UI_OUT_DIR: outDir },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with code ${code}`))));
  });
}

function tryLock(): boolean {
  fs.mkdirSync(path.dirname(LOCK_DIR), { recursive: true });
  try {
    fs.mkdirSync(LOCK_DIR);
    fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const age = Date.now() - (fs.statSync(LOCK_DIR, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > STALE_LOCK_MS) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Builds into a private directory, then swaps it in with renames, so no reader sees a half-written build. */
async function buildAndSwap(): Promise<void> {
  const temp = path.join(ROOT, 'dist', `.ui-build-${process.pid}-${Date.now()}`);
  const old = `${temp}-old`;
  try {
    const startedAt = new Date();
    await runVite(temp);
    // Stamp the build with its start: a source edited while Vite ran still counts as newer.
    fs.utimesSync(path.join(temp, 'index.html'), startedAt, startedAt);
    if (fs.existsSync(OUT_DIR)) fs.renameSync(OUT_DIR, old);
    fs.renameSync(temp, OUT_DIR);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
    fs.rmSync(old, { recursive: true, force: true });
  }
}

/**
 * Makes sure dist/public holds a build: always when `force`, otherwise only when `when` says so
 * ('stale': missing or older than src/; 'missing': no index.html). Returns whether this call built.
 */
export async function ensureUiBuild(options: { force?: boolean; when?: 'stale' | 'missing'; log?: (line: string) => void } = {}): Promise<boolean> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const reason = () => (options.when === 'missing' ? (fs.existsSync(path.join(OUT_DIR, 'index.html')) ? null : 'dist/public has no index.html') : uiBuildStaleReason());
  const needed = () => (options.force ? 'asked to build' : reason());
  const first = needed();
  if (!first) return false;
  const startedAt = Date.now();
  while (!tryLock()) {
    await sleep(500);
    // Another process finished a build meanwhile: use it rather than build again.
    if (!options.force && !needed()) return false;
  }
  try {
    // Re-check under the lock: a build may have landed between the first check and taking the lock.
    const why = options.force ? first : reason();
    if (!why) return false;
    log(`Building the web console (${why})…`);
    await buildAndSwap();
    log(`Web console built into dist/public in ${((Date.now() - startedAt) / 1000).toFixed(1)} s.`);
    return true;
  } finally {
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

if (require.main === module) {
  ensureUiBuild({ force: true }).catch((err: unknown) => {
    process.stderr.write(`UI build failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
