// Seals and opens one secret field with AES-256-GCM under a keyring data key. The associated data
// binds the ciphertext to its credential, field and key version, so a value moved elsewhere fails.
// Text format: kh1.<key version>.<base64url(iv | ciphertext | tag)>.
import crypto from 'node:crypto';
import { CredentialDecryptionFailed } from '../errors';
import type { Keyring } from './keyring';

const FORMAT = 'kh1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEALED = /^kh1\.([1-9][0-9]{0,8})\.([A-Za-z0-9_-]+)$/;

export interface FieldBinding {
  /** The owner of the value: a credential id, or another namespaced id. */
  ownerId: string;
  field: string;
}

// Length-prefixed, so no owner id or field name can be crafted to collide with another pair.
function associatedData(binding: FieldBinding, version: number): Buffer {
  const { ownerId, field } = binding;
  return Buffer.from(`${FORMAT}:${version}:${ownerId.length}:${ownerId}:${field.length}:${field}`, 'utf8');
}

export function sealField(keyring: Keyring, plaintext: string, binding: FieldBinding): string {
  const version = keyring.activeVersion;
  const key = keyring.keyFor(version);
  if (!key) throw new CredentialDecryptionFailed();
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(binding, version));
  const body = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${FORMAT}.${version}.${body.toString('base64url')}`;
}

/** The key version a sealed value names, or null if the text is not in the sealed format. */
export function sealedKeyVersion(sealed: string): number | null {
  const match = SEALED.exec(sealed);
  return match ? Number(match[1]) : null;
}

/** Any failure (format, key, tag, binding) is one generic error: nothing says which. */
export function openField(keyring: Keyring, sealed: string, binding: FieldBinding): string {
  try {
    // The strict alphabet matters: a decoder that skipped stray characters would let two texts open the same.
    const match = SEALED.exec(sealed);
    if (!match) throw new Error('format');
    const version = Number(match[1]);
    const key = keyring.keyFor(version);
    const body = Buffer.from(match[2], 'base64url');
    if (!key || body.length < IV_BYTES + TAG_BYTES) throw new Error('key or size');
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, body.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(binding, version));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    const plain = decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES));
    decipher.final();
    return plain.toString('utf8');
  } catch (err) {
    throw new CredentialDecryptionFailed({ cause: err });
  }
}
