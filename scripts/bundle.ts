// Lays out .blocklet/bundle from a built tree, validates it with @blocklet/meta, and writes .blocklet/release (tgz + blocklet.json).
// Does not compile (`npm run build` does) and does not vendor node_modules: package.json lists production dependencies only.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import YAML from 'yaml';
import { parse } from '@blocklet/meta/lib/parse';
import type { TBlockletMeta } from '@blocklet/meta/lib/types';

const ROOT = path.resolve(__dirname, '..');
const BUNDLE_DIR = path.join(ROOT, '.blocklet', 'bundle');
const RELEASE_DIR = path.join(ROOT, '.blocklet', 'release');
const SHIPPED = ['blocklet.md', 'logo.png', 'dist'];
const UI_BUILD = 'src/dist'; // a UI built into dist/ui already travels inside dist/
const PACKAGE_FIELDS = ['name', 'version', 'description', 'license', 'main', 'engines', 'dependencies'];
// npm pack's fixed date and zeroed owners keep the tarball byte-identical for the same tree.
const TAR_MTIME = Date.parse('1985-10-26T08:15:00Z') / 1000;

function fail(message: string): never {
  console.error(`bundle: ${message}`);
  process.exit(1);
}

function rootPath(rel: string): string {
  return path.join(ROOT, rel);
}

function requireBuiltServer(): void {
  if (!fs.existsSync(rootPath('dist/api/index.js'))) fail('dist/api/index.js is missing: run `npm run build` first.');
}

function copyIntoBundle(rel: string): void {
  fs.cpSync(rootPath(rel), path.join(BUNDLE_DIR, rel), { recursive: true });
}

/** The bundled blocklet.yml is the source one, plus the UI build in `files` when it lives outside dist/. */
function writeBundledMeta(withUi: boolean): void {
  const source = fs.readFileSync(rootPath('blocklet.yml'), 'utf8');
  const doc = YAML.parseDocument(source);
  const files = doc.get('files');
  if (withUi && YAML.isSeq(files)) files.add(UI_BUILD);
  fs.writeFileSync(path.join(BUNDLE_DIR, 'blocklet.yml'), withUi ? doc.toString({ lineWidth: 0 }) : source);
}

/** Only what the server needs to install and run: no scripts, no devDependencies. */
function writeProductionPackageJson(): void {
  const pkg = JSON.parse(fs.readFileSync(rootPath('package.json'), 'utf8')) as Record<string, unknown>;
  const slim = Object.fromEntries(PACKAGE_FIELDS.filter((key) => key in pkg).map((key) => [key, pkg[key]]));
  fs.writeFileSync(path.join(BUNDLE_DIR, 'package.json'), `${JSON.stringify(slim, null, 2)}\n`);
}

/** The same parser Blocklet Server runs, with file checks on; a missing entry point or hook script fails too. */
function validateBundle(): TBlockletMeta {
  let meta: TBlockletMeta;
  try {
    meta = parse(BUNDLE_DIR, { ensureFiles: true });
  } catch (err) {
    return fail(`.blocklet/bundle/blocklet.yml is invalid:\n${(err as Error).message}`);
  }
  const hookFiles = Object.values(meta.scripts ?? {}).map((cmd) => /^node\s+(\S+)/.exec(String(cmd))?.[1]);
  for (const file of [meta.main, ...hookFiles]) {
    if (file && !fs.existsSync(path.join(BUNDLE_DIR, file))) fail(`${file} is referenced by blocklet.yml but not in the bundle.`);
  }
  return meta;
}

function listFiles(dir: string, base = ''): string[] {
  return fs.readdirSync(path.join(dir, base), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const rel = path.posix.join(base, entry.name);
      return entry.isDirectory() ? listFiles(dir, rel) : [rel];
    });
}

function writeOctal(header: Buffer, value: number, offset: number, length: number): void {
  header.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}

/** ustar stores long paths as prefix (155 bytes) + name (100 bytes), split at a slash. */
function splitTarPath(name: string): { prefix: string; base: string } {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', base: name };
  for (let i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const base = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(base) <= 100) return { prefix, base };
  }
  return fail(`path too long for a tar header: ${name}`);
}

function encodeTarHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(512);
  const { prefix, base } = splitTarPath(name);
  header.write(base, 0, 100, 'utf8');
  writeOctal(header, 0o644, 100, 8);
  writeOctal(header, 0, 108, 8);
  writeOctal(header, 0, 116, 8);
  writeOctal(header, size, 124, 12);
  writeOctal(header, TAR_MTIME, 136, 12);
  header.fill(' ', 148, 156); // the checksum is summed with its own field as spaces
  header.write('0', 156, 'ascii');
  header.write('ustar\x0000', 257, 'ascii');
  header.write(prefix, 345, 155, 'utf8');
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  header.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return header;
}

/** Regular files under `package/`, like `blocklet bundle --create-release`, gzip-compressed. */
function createTarball(dir: string): Buffer {
  const blocks = listFiles(dir).flatMap((rel) => {
    const body = fs.readFileSync(path.join(dir, rel));
    return [encodeTarHeader(`package/${rel}`, body.length), body, Buffer.alloc((512 - (body.length % 512)) % 512)];
  });
  return zlib.gzipSync(Buffer.concat([...blocks, Buffer.alloc(1024)]), { level: 9 });
}

/** blocklet.json is the validated meta plus `dist`, which the server checks against the tarball it downloads. */
function writeRelease(meta: TBlockletMeta): { tarball: string; metaFile: string } {
  fs.mkdirSync(RELEASE_DIR, { recursive: true });
  const name = `${meta.name}-${meta.version}.tgz`;
  const tgz = createTarball(BUNDLE_DIR);
  const integrity = `sha512-${crypto.createHash('sha512').update(tgz).digest('base64')}`;
  const tarball = path.join(RELEASE_DIR, name);
  const metaFile = path.join(RELEASE_DIR, 'blocklet.json');
  fs.writeFileSync(tarball, tgz);
  fs.writeFileSync(metaFile, `${JSON.stringify({ ...meta, dist: { tarball: name, integrity, size: tgz.length } }, null, 2)}\n`);
  return { tarball, metaFile };
}

function main(): void {
  requireBuiltServer();
  for (const dir of [BUNDLE_DIR, RELEASE_DIR]) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(BUNDLE_DIR, { recursive: true });
  const withUi = fs.existsSync(rootPath(UI_BUILD));
  [...SHIPPED, ...(withUi ? [UI_BUILD] : [])].forEach(copyIntoBundle);
  writeBundledMeta(withUi);
  writeProductionPackageJson();
  const meta = validateBundle();
  const { tarball, metaFile } = writeRelease(meta);
  console.log(`bundle:  ${path.relative(ROOT, BUNDLE_DIR)}/\nrelease: ${path.relative(ROOT, tarball)}\nmeta:    ${path.relative(ROOT, metaFile)}`);
}

main();
