// Keyed hashing of API keys: HMAC-SHA256 under a server secret, so a stolen database alone cannot
// test guesses. The secret is random, kept in `settings` wrapped by the vault's root key.
import crypto from 'node:crypto';
import { Setting } from '../models/setting';
import { runWriteTransaction } from '../db/write-transaction';
import type { Sequelize } from 'sequelize';
import type { RootKey } from '../vault/root-key';
import { KeyringLocked } from '../errors';

const SETTING_KEY = 'api-key-hmac-secret';

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

  /** Constant-time comparison of a presented key's HMAC with a stored one. */
  matches(presented: string, storedHash: string | null): boolean {
    if (!storedHash || storedHash.length !== 64) return false;
    const expected = Buffer.from(storedHash, 'hex');
    const actual = crypto.createHmac('sha256', this.secret).update(presented, 'utf8').digest();
    return expected.length === actual.length && crypto.timingSafeEqual(expected, actual);
  }
}
