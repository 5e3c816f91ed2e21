// Which journal instance owns which segment files, and whether that owner is still alive. Each open
// journal keeps a lock file (pid, host) whose mtime it refreshes; replay takes only the segments of
// owners that are gone, so a CLI command started beside a running server never replays (and
// deletes) the server's live segment.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SEGMENT_SUFFIX = '.jsonl';
const LOCK_SUFFIX = '.lock';
/** Refreshed every HEARTBEAT_MS; a lock not refreshed for STALE_MS belongs to a dead process (or a reused pid). */
export const HEARTBEAT_MS = 10_000;
const STALE_MS = 60_000;

// Journals open in this process, by instance id: a pid check cannot tell them apart from dead
// ones that this same process opened and closed before (tests, the CLI).
const openHere = new Set<string>();

interface LockContent {
  pid: number;
  host: string;
}

export function lockPath(dir: string, instanceId: string): string {
  return path.join(dir, `${instanceId}${LOCK_SUFFIX}`);
}

export function segmentPath(dir: string, instanceId: string, seq: number): string {
  return path.join(dir, `${instanceId}-${String(seq).padStart(6, '0')}${SEGMENT_SUFFIX}`);
}

export function claimInstance(dir: string, instanceId: string): void {
  const content: LockContent = { pid: process.pid, host: os.hostname() };
  fs.writeFileSync(lockPath(dir, instanceId), JSON.stringify(content), { flag: 'wx' });
  openHere.add(instanceId);
}

export function touchInstance(dir: string, instanceId: string): void {
  const now = new Date();
  fs.utimesSync(lockPath(dir, instanceId), now, now);
}

export function releaseInstance(dir: string, instanceId: string): void {
  openHere.delete(instanceId);
  fs.rmSync(lockPath(dir, instanceId), { force: true });
}

function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True while the journal that wrote `instanceId`'s segments may still be appending to them. */
export function isInstanceAlive(dir: string, instanceId: string, now = Date.now()): boolean {
  if (openHere.has(instanceId)) return true;
  let content: LockContent;
  let mtimeMs: number;
  try {
    const file = lockPath(dir, instanceId);
    mtimeMs = fs.statSync(file).mtimeMs;
    content = JSON.parse(fs.readFileSync(file, 'utf8')) as LockContent;
  } catch {
    return false; // no lock (closed cleanly, or never written): nobody is appending
  }
  if (now - mtimeMs > STALE_MS) return false;
  if (content.host !== os.hostname()) return true; // another host on a shared directory: trust the heartbeat
  return content.pid !== process.pid && isPidAlive(content.pid);
}

export interface SegmentFile {
  instanceId: string;
  path: string;
}

/** Every segment file in the directory, oldest first (instance ids start with their creation time). */
export function listSegmentFiles(dir: string): SegmentFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(SEGMENT_SUFFIX))
    .sort()
    .map((name) => ({ instanceId: name.slice(0, name.lastIndexOf('-')), path: path.join(dir, name) }));
}

/** Lock files left by owners that are gone and whose segments have all been replayed. */
export function removeDeadLocks(dir: string, now = Date.now()): void {
  if (!fs.existsSync(dir)) return;
  const withSegments = new Set(listSegmentFiles(dir).map((s) => s.instanceId));
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith(LOCK_SUFFIX)) continue;
    const instanceId = name.slice(0, -LOCK_SUFFIX.length);
    if (!withSegments.has(instanceId) && !isInstanceAlive(dir, instanceId, now)) fs.rmSync(path.join(dir, name), { force: true });
  }
}
