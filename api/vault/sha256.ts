// One-shot SHA-256 of a string. crypto.hash (no Hash object) arrived in Node 20.12; engines allows
// any Node 20, so older ones take createHash.
import crypto from 'node:crypto';

export const sha256: (text: string) => Buffer =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'buffer') : (text) => crypto.createHash('sha256').update(text, 'utf8').digest();
