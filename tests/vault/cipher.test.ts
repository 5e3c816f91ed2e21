import crypto from 'node:crypto';
import { createRootKey } from '@api/vault/root-key';
import { openField, sealField, sealedKeyVersion } from '@api/vault/cipher';
import { KeyholdError } from '@api/errors';
import type { Keyring } from '@api/vault/keyring';

// A keyring stand-in with two fixed versions; the real one is exercised in keyring.test.ts.
function fakeKeyring(active = 1): Keyring {
  const keys = new Map([[1, crypto.randomBytes(32)], [2, crypto.randomBytes(32)]]);
  return { activeVersion: active, keyFor: (v: number) => keys.get(v) ?? null } as unknown as Keyring;
}

const binding = { ownerId: 'cred-1', field: 'api_key' };
const secret = 'sk-proj-0123456789abcdefghijklmnopqrstuvwxyz';

function decryptionError(run: () => unknown): KeyholdError {
  try {
    run();
  } catch (err) {
    return err as KeyholdError;
  }
  throw new Error('expected a decryption failure');
}

describe('field cipher', () => {
  const keyring = fakeKeyring();
  const sealed = sealField(keyring, secret, binding);

  it('round-trips a value and names its key version in a versioned text format', () => {
    expect(sealed).toMatch(/^kh1\.1\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(secret);
    expect(sealedKeyVersion(sealed)).toBe(1);
    expect(openField(keyring, sealed, binding)).toBe(secret);
  });

  it('uses a fresh IV for every seal', () => {
    expect(sealField(keyring, secret, binding)).not.toBe(sealed);
  });

  // Flip one bit of the decoded bytes at a position: IV, ciphertext or tag.
  const flipByte = (text: string, pick: (length: number) => number) => {
    const [format, version, blob] = text.split('.');
    const bytes = Buffer.from(blob, 'base64url');
    bytes[pick(bytes.length)] ^= 0x01;
    return `${format}.${version}.${bytes.toString('base64url')}`;
  };

  it.each([
    ['a flipped byte in the IV', () => openField(keyring, flipByte(sealed, () => 3), binding)],
    ['a flipped byte in the ciphertext', () => openField(keyring, flipByte(sealed, () => 14), binding)],
    ['a flipped byte in the tag', () => openField(keyring, flipByte(sealed, (n) => n - 2), binding)],
    ['a truncated value', () => openField(keyring, sealed.slice(0, -5), binding)],
    ['a value cut to its header', () => openField(keyring, 'kh1.1.', binding)],
    ['a value too short for IV and tag', () => openField(keyring, 'kh1.1.AAAAAAAAAAAAAAAAAAAA', binding)],
    ['a stray character inside the text', () => openField(keyring, `${sealed.slice(0, 12)}!${sealed.slice(12)}`, binding)],
    ['a ciphertext moved to another credential', () => openField(keyring, sealed, { ownerId: 'cred-2', field: 'api_key' })],
    ['a ciphertext moved to another field', () => openField(keyring, sealed, { ownerId: 'cred-1', field: 'secret_access_key' })],
    ['a key version rewritten to another key', () => openField(keyring, sealed.replace(/^kh1\.1\./, 'kh1.2.'), binding)],
    ['an unknown key version', () => openField(keyring, sealed.replace(/^kh1\.1\./, 'kh1.9.'), binding)],
    ['an unknown format', () => openField(keyring, sealed.replace(/^kh1\./, 'kh9.'), binding)],
    ['an empty string', () => openField(keyring, '', binding)],
  ])('rejects %s with the one generic error', (_name, run) => {
    const err = decryptionError(run);
    expect(err.code).toBe('ERR_VAULT_DECRYPTION_FAILED');
    expect(err.message).toBe('Credential could not be decrypted.');
    expect(err.message).not.toContain(secret);
  });
});

describe('root key (SDK security module)', () => {
  const root = createRootKey({ appEk: crypto.randomBytes(32).toString('hex'), appDid: 'zNKtestAppDid' });

  it('wraps and unwraps', () => {
    const wrapped = root.wrap('data-key');
    expect(wrapped).not.toContain('data-key');
    expect(root.unwrap(wrapped)).toBe('data-key');
  });

  it('answers null, not garbage, for a value wrapped under another app key', () => {
    const other = createRootKey({ appEk: crypto.randomBytes(32).toString('hex'), appDid: 'zNKtestAppDid' });
    expect(other.unwrap(root.wrap('data-key'))).toBeNull();
    expect(root.unwrap('not a wrapped value')).toBeNull();
  });

  it('refuses to exist without key material', () => {
    expect(() => createRootKey({ appEk: '', appDid: 'x' })).toThrow(/missing/);
  });
});
