// The text form of a Keyhold API key: kh-<16 base62 public id>_<43 base62 secret> (256 bits of
// secret). Parsing is strict and allocation-light: it runs before any lookup.
import crypto from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_LENGTH = 16;
const SECRET_LENGTH = 43;
const FORMAT = /^kh-([0-9A-Za-z]{16})_[0-9A-Za-z]{43}$/;

/** Unbiased base62: bytes >= 248 are rejected rather than folded onto the first characters. */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

export function generateKeyId(): string {
  return randomBase62(ID_LENGTH);
}

export function formatApiKey(id: string): string {
  return `kh-${id}_${randomBase62(SECRET_LENGTH)}`;
}

/** The public id of a well-formed key, or null. Says nothing about whether the key is valid. */
export function parseApiKeyId(presented: string): string | null {
  const match = FORMAT.exec(presented);
  return match ? match[1] : null;
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith('kh-');
}
