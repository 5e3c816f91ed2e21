// Keyed hashing of API keys: HMAC-SHA256 under a server secret, so a stolen database alone cannot
// test guesses. The secret is random, kept in `settings` wrapped by the vault's root key.
import crypto from 'node:crypto';
import { Setting } from '../models/setting';
import { runWriteTransaction } from '../db/write-transaction';
import type { Sequelize } from 'sequelize';
import type { RootKey } from '../vault/root-key';
import { KeyringLocked } from '../errors';
import { sha256 } from '../vault/sha256';

const SETTING_KEY = 'api-key-hmac-secret';
// Keys verified recently: beyond this many, the oldest is forgotten (it then pays the HMAC once more).
const MAX_REMEMBERED = 50_000;

export class ApiKeyHasher {
  // A KeyObject made once: createHmac then skips re-importing the raw key on every request.
  private readonly secret: crypto.KeyObject;

  private constructor(secret: Buffer) {
    this.secret = crypto.createSecretKey(secret);
  }

  static async open(sequelize: Sequelize, rootKey: RootKey): Promise<ApiKeyHasher> {
    const secret = await runWriteTransaction(sequelize, async (tx) => {
      const row = await Setting.findByPk(SETTING_KEY, { transaction: tx });
      if (row) {
        const opened = typeof row.value === 'string' ? rootKey.unwrap(row.value) : null;
        if (!opened) throw new KeyringLocked('The API key secret does not open with this app key; nothing was changed.');
        return Buffer.from(opened, 'base64');
      }
      const fresh = crypto.randomBytes(32);
      await Setting.create({ key: SETTING_KEY, value: rootKey.wrap(fresh.toString('base64')) }, { transaction: tx });
      return fresh;
    });
    return new ApiKeyHasher(secret);
  }

  hash(presented: string): string {
    return crypto.createHmac('sha256', this.secret).update(presented, 'utf8').digest('hex');
  }

  /**
   * Constant-time comparison of a presented key's HMAC with a stored one. A key that matched once
   * is remembered as a salted SHA-256 (the salt is random per process and never leaves it), keyed by
   * its stored hash: the next call with it costs one one-shot hash instead of an HMAC, which on the
   * gateway's hot path took about 20 µs. What is kept is as safe to lose as the stored hashes; the
   * raw key is never kept. Every call computes the salted hash and compares it, whether or not the
   * stored hash is remembered, so timing tells a wrong key for a known id apart from an unknown id no
   * more than before.
   *
   * The salted digests are compared as text with ===, which stops at the first differing character.
   * That is safe here for the reason double-HMAC verification is: both sides are digests under a
   * secret the caller never sees, so how far they agree says nothing the caller can steer or use to
   * learn the key, one character at a time or otherwise. The HMAC itself is compared in constant time.
   */
  matches(presented: string, storedHash: string | null): boolean {
    const salted = sha256(`${this.#salt}${presented}`);
    if (!storedHash || storedHash.length !== 64) return false;
    // Compared against something either way (a random stand-in when nothing is remembered), so a
    // remembered hash is not told apart by the time it takes.
    const remembered = this.#verified.get(storedHash);
    if ((remembered ?? this.#standIn) === salted && remembered) return true;
    const expected = Buffer.from(storedHash, 'hex');
    const actual = crypto.createHmac('sha256', this.secret).update(presented, 'utf8').digest();
    const ok = expected.length === actual.length && crypto.timingSafeEqual(expected, actual);
    if (ok) this.#remember(storedHash, salted);
    return ok;
  }

  readonly #salt = crypto.randomBytes(32).toString('base64');
  // The digest of a random text: the same length as a real one, and equal to none.
  readonly #standIn = sha256(crypto.randomBytes(32).toString('base64'));
  readonly #verified = new Map<string, string>();

  #remember(storedHash: string, salted: string): void {
    this.#verified.delete(storedHash);
    if (this.#verified.size >= MAX_REMEMBERED) this.#verified.delete(this.#verified.keys().next().value as string);
    this.#verified.set(storedHash, salted);
  }
}
