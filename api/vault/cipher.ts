// Seals and opens one secret field with AES-256-GCM under a keyring data key. The associated data
// binds the ciphertext to its credential, field and key version, so a value moved elsewhere fails.
// Text format: kh1.<key version>.<iv>.<ciphertext>.<tag>, base64url parts.
import crypto from 'node:crypto';
import { CredentialDecryptionFailed } from '../errors';
import type { Keyring } from './keyring';

const FORMAT = 'kh1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PART = /^[A-Za-z0-9_-]*$/;

export interface FieldBinding {
  /** The owner of the value: a credential id, or another namespaced id. */
  ownerId: string;
  field: string;
}

function associatedData(binding: FieldBinding, version: number): Buffer {
  return Buffer.from(JSON.stringify([FORMAT, version, binding.ownerId, binding.field]), 'utf8');
}

export function sealField(keyring: Keyring, plaintext: string, binding: FieldBinding): string {
  const version = keyring.activeVersion;
  const key = keyring.keyFor(version);
  if (!key) throw new CredentialDecryptionFailed();
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData(binding, version));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [FORMAT, String(version), iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/** The key version a sealed value names, or null if the text is not in the sealed format. */
export function sealedKeyVersion(sealed: string): number | null {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== FORMAT || !/^[1-9][0-9]{0,8}$/.test(parts[1])) return null;
  return Number(parts[1]);
}

/** Any failure (format, key, tag, binding) is one generic error: nothing says which. */
export function openField(keyring: Keyring, sealed: string, binding: FieldBinding): string {
  try {
    const version = sealedKeyVersion(sealed);
    const [, , ivText, bodyText, tagText] = sealed.split('.');
    if (version === null || ![ivText, bodyText, tagText].every((p) => PART.test(p))) throw new Error('format');
    const key = keyring.keyFor(version);
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (!key || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('key or sizes');
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(binding, version));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(bodyText, 'base64url')), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new CredentialDecryptionFailed({ cause: err });
  }
}
