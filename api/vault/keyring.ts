// The keyring: random 256-bit data keys, stored wrapped by the root key in the `keyring` table and
// held unwrapped in memory. Knows nothing of credentials; rotation.ts re-seals them.
import crypto from 'node:crypto';
import type { Transaction } from 'sequelize';
import { KeyringKey, type KeyringKeyStatus } from '../models/keyring-key';
import { KeyringLocked } from '../errors';
import type { RootKey } from './root-key';

export interface KeyringVersionInfo {
  version: number;
  status: KeyringKeyStatus;
  createdAt: Date;
  retiredAt: Date | null;
}

export class Keyring {
  readonly #keys = new Map<number, Buffer>();
  #active = 0;

  private constructor(private readonly rootKey: RootKey) {}

  /**
   * Unwrap every usable data key. A key that does not open means the app key is not the one that
   * wrapped it: fail with a clear error and change nothing (no new key is created over it).
   */
  static async open(rootKey: RootKey, options: { createIfEmpty: boolean; transaction?: Transaction }): Promise<Keyring> {
    const keyring = new Keyring(rootKey);
    await keyring.reload(options.transaction);
    if (keyring.#active === 0) {
      if (!options.createIfEmpty) throw new KeyringLocked('The keyring has no active data key.');
      await keyring.addKey(options.transaction);
    }
    return keyring;
  }

  async reload(transaction?: Transaction): Promise<void> {
    const rows = await KeyringKey.findAll({ order: [['version', 'ASC']], transaction });
    const keys = new Map<number, Buffer>();
    let active = 0;
    for (const row of rows) {
      if (row.status === 'retired') continue;
      keys.set(row.version, this.unwrapKey(row));
      if (row.status === 'active') active = row.version;
    }
    this.#keys.clear();
    for (const [version, key] of keys) this.#keys.set(version, key);
    this.#active = active;
  }

  private unwrapKey(row: KeyringKey): Buffer {
    const opened = this.rootKey.unwrap(row.wrappedKey);
    const key = opened === null ? null : Buffer.from(opened, 'base64');
    if (!key || key.length !== 32) {
      throw new KeyringLocked(
        `Data key v${row.version} does not open with this app's BLOCKLET_APP_EK/BLOCKLET_DID. ` +
          'Start Keyhold with the keys it was installed with; nothing was changed.',
      );
    }
    return key;
  }

  /**
   * Another process (the CLI's rotate-keys) may have changed the keyring since this one loaded it.
   * Called before sealing, inside the write transaction, so nothing is sealed under a retired key.
   */
  async ensureCurrent(transaction?: Transaction): Promise<void> {
    const active = await KeyringKey.findOne({ where: { status: 'active' }, attributes: ['version'], transaction });
    if (active?.version !== this.#active) await this.reload(transaction);
  }

  /** Reload when a row names a key version this process does not hold yet. */
  async ensureVersions(versions: Array<number | null>, transaction?: Transaction): Promise<void> {
    if (versions.some((v) => v !== null && !this.#keys.has(v))) await this.reload(transaction);
  }

  get activeVersion(): number {
    return this.#active;
  }

  /** The data key of a version, or null when that version is unknown or retired. */
  keyFor(version: number): Buffer | null {
    return this.#keys.get(version) ?? null;
  }

  /** Create a new active key; the previous active key becomes `retiring` until no row uses it. */
  async addKey(transaction?: Transaction): Promise<number> {
    const key = crypto.randomBytes(32);
    const last = (await KeyringKey.max('version', { transaction })) as number | null;
    const version = (last ?? 0) + 1;
    await KeyringKey.update({ status: 'retiring' }, { where: { status: 'active' }, transaction });
    await KeyringKey.create({ version, wrappedKey: this.rootKey.wrap(key.toString('base64')), status: 'active', retiredAt: null }, { transaction });
    this.#keys.set(version, key);
    this.#active = version;
    return version;
  }

  async retire(versions: number[], transaction: Transaction): Promise<void> {
    if (!versions.length) return;
    await KeyringKey.update({ status: 'retired', retiredAt: new Date() }, { where: { version: versions }, transaction });
    for (const version of versions) this.#keys.delete(version);
  }

  static async listVersions(): Promise<KeyringVersionInfo[]> {
    const rows = await KeyringKey.findAll({ order: [['version', 'ASC']] });
    return rows.map((r) => ({ version: r.version, status: r.status, createdAt: r.createdAt, retiredAt: r.retiredAt }));
  }
}
