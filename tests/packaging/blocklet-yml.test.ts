// blocklet.yml and logo.png as Blocklet Server will read them, checked with @blocklet/meta's own parser and validator.
// Does not build or bundle anything: scripts/bundle.ts validates the bundled copy with the same functions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toBlockletDid } from '@blocklet/meta/lib/did';
import { parse } from '@blocklet/meta/lib/parse';
import { validateMeta } from '@blocklet/meta/lib/validate';
import type { TBlockletMeta } from '@blocklet/meta/lib/types';

const ROOT = path.resolve(__dirname, '..', '..');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The raw YAML object, loaded the way the parser loads it but before any fixing or defaults. */
function readRawMeta(): Record<string, unknown> {
  return parse(ROOT, { fix: false }) as unknown as Record<string, unknown>;
}

function findNavigation(meta: TBlockletMeta, link: string) {
  return (meta.navigation ?? []).find((item) => item.link === link);
}

function readPngSize(file: string): { width: number; height: number } {
  const head = fs.readFileSync(file).subarray(0, 24);
  if (!head.subarray(0, 8).equals(PNG_SIGNATURE) || head.toString('ascii', 12, 16) !== 'IHDR') {
    throw new Error(`${file} is not a PNG`);
  }
  return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
}

describe('blocklet.yml', () => {
  let meta: TBlockletMeta;

  beforeAll(() => {
    // parse() fixes, applies defaults and validates against createBlockletSchema; it throws on any error.
    meta = parse(ROOT, { ensureFiles: false });
  });

  it('passes the @blocklet/meta parser and validator without errors', () => {
    expect(() => validateMeta(readRawMeta())).not.toThrow();
    expect(meta.name).toBe('keyhold');
    expect(meta.title).toBe('Keyhold');
    expect(meta.version).toBe('0.1.0');
    expect(meta.group).toBe('dapp');
  });

  it('carries the DID that @blocklet/meta derives from the name', () => {
    expect(meta.did).toBe(toBlockletDid('keyhold'));
  });

  it('starts the built server and runs migrations before every start', () => {
    expect(meta.main).toBe('dist/api/index.js');
    expect(meta.scripts?.preStart).toBe('node dist/scripts/migrate.js');
  });

  it('can be composed into other apps as a component', () => {
    expect(meta.capabilities?.component).toBe(true);
  });

  it('serves one web interface on BLOCKLET_PORT at any mount point', () => {
    expect(meta.interfaces).toEqual([
      expect.objectContaining({ type: 'web', name: 'publicUrl', path: '/', prefix: '*', port: 'BLOCKLET_PORT', protocol: 'http' }),
    ]);
  });

  it('shows the admin console to owner and admin only', () => {
    expect(findNavigation(meta, '/admin')?.role?.slice().sort()).toEqual(['admin', 'owner']);
  });

  it('shows "My keys" to every signed-in role', () => {
    const keys = findNavigation(meta, '/keys');
    expect(keys?.title).toEqual({ en: 'My keys' });
    expect(keys?.role?.slice().sort()).toEqual(['admin', 'guest', 'member', 'owner']);
  });

  it('declares its optional settings (log level, gateway attempts and timeout) and the platform it needs', () => {
    expect(meta.environments).toEqual([
      expect.objectContaining({ name: 'KEYHOLD_LOG_LEVEL', default: 'info', required: false, secure: false }),
      expect.objectContaining({ name: 'KEYHOLD_MAX_ATTEMPTS', default: '3', required: false, secure: false }),
      expect.objectContaining({ name: 'KEYHOLD_UPSTREAM_TIMEOUT_MS', default: '120000', required: false, secure: false }),
    ]);
    expect(meta.requirements).toEqual(expect.objectContaining({ server: '>=1.16.0', nodejs: '>=20' }));
  });

  it('ships a square PNG logo of at least 256x256 within the store size limit', () => {
    const logo = path.join(ROOT, meta.logo ?? '');
    const { width, height } = readPngSize(logo);
    expect(width).toBeGreaterThanOrEqual(256);
    expect(height).toBeGreaterThanOrEqual(256);
    expect(width).toBe(height);
    expect(fs.statSync(logo).size).toBeLessThanOrEqual(100 * 1024);
  });

  it('lists only files that exist once the server is built', () => {
    // ensureFiles makes the validator stat every `files` entry and the logo; a stand-in dist/ plays the build.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-meta-'));
    try {
      for (const file of ['blocklet.yml', 'blocklet.md', 'logo.png']) fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
      fs.mkdirSync(path.join(dir, 'dist', 'api'), { recursive: true });
      expect(() => parse(dir, { ensureFiles: true })).not.toThrow();
      fs.rmSync(path.join(dir, 'blocklet.md'));
      expect(() => parse(dir, { ensureFiles: true })).toThrow('file "blocklet.md" does not exist');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['a DID derived from another name', { did: toBlockletDid('not-keyhold') }, `The did of name "keyhold" should be "${toBlockletDid('keyhold')}"`],
    ['a malformed DID', { did: 'z8ia3t2SReNKYik7b184rR22Pxbfj2H84gYvX' }, 'is not valid'],
    ['no name', { name: undefined }, '"name" is required'],
  ])('rejects a copy of the meta with %s', (_case, patch, message) => {
    const broken = { ...readRawMeta(), ...patch };
    expect(() => validateMeta(broken)).toThrow(message);
  });
});
