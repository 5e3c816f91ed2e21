// Every API key held in memory by public id, so verifying a key reads no database. Changes made in
// this process are applied at once; changes made elsewhere (the CLI, another replica) are picked up
// by syncChanged(), which reads the rows updated since it last looked: the change watcher runs it
// every second and whenever a replica announces a change. Last-use time and IP are batched back.
import { Op } from 'sequelize';
import { ApiKey, type KeyBudget, type KeyScope } from '../models/api-key';
import type { Logger } from '../log';

export interface KeyRecord {
  id: string;
  hash: string;
  prevHash: string | null;
  prevHashExpiresAt: number | null;
  ownerDid: string;
  ownerRole: string;
  name: string;
  clientId: string | null;
  scopes: KeyScope[];
  models: string[];
  rpm: number | null;
  tpm: number | null;
  budget: KeyBudget | null;
  expiresAt: number | null;
  revokedAt: number | null;
}

type KeyRow = Pick<ApiKey, 'id' | 'hash' | 'prevHash' | 'prevHashExpiresAt' | 'ownerDid' | 'ownerRole' | 'name' | 'clientId' | 'scopes' | 'models' | 'rpm' | 'tpm' | 'budget' | 'expiresAt' | 'revokedAt'>;

const time = (value: Date | string | null): number | null => (value === null ? null : new Date(value).getTime());
// Raw rows from SQLite hold JSON columns as text.
const list = <T>(value: T[] | string): T[] => (typeof value === 'string' ? (JSON.parse(value) as T[]) : value ?? []);

export function toKeyRecord(row: KeyRow): KeyRecord {
  return {
    id: row.id,
    hash: row.hash,
    prevHash: row.prevHash,
    prevHashExpiresAt: time(row.prevHashExpiresAt),
    ownerDid: row.ownerDid,
    ownerRole: row.ownerRole,
    name: row.name,
    clientId: row.clientId,
    scopes: list(row.scopes),
    models: list(row.models),
    rpm: row.rpm,
    tpm: row.tpm,
    budget: typeof row.budget === 'string' ? (JSON.parse(row.budget) as KeyBudget) : row.budget,
    expiresAt: time(row.expiresAt),
    revokedAt: time(row.revokedAt),
  };
}

export class ApiKeyIndex {
  readonly #keys = new Map<string, KeyRecord>();
  readonly #used = new Map<string, { at: Date; ip: string | null }>();
  #syncedUntil = new Date(0);
  #timers: NodeJS.Timeout[] = [];

  constructor(private readonly log: Logger) {}

  async load(): Promise<void> {
    const rows = await ApiKey.findAll({ raw: true });
    this.#keys.clear();
    for (const row of rows) this.applyRow(row);
  }

  /**
   * Write last-use data until stop(). Rows changed by other processes come in through syncChanged(),
   * which the change watcher runs on its every pass (api/context.ts).
   */
  start(options: { flushMs?: number } = {}): void {
    const every = (ms: number, work: () => Promise<void>, what: string) => {
      const timer = setInterval(() => void work().catch((err: unknown) => this.log.error({ err }, `${what} failed`)), ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(options.flushMs ?? 5000, () => this.flushUsage(), 'api key usage flush');
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    await this.flushUsage();
  }

  get(id: string): KeyRecord | undefined {
    return this.#keys.get(id);
  }

  get size(): number {
    return this.#keys.size;
  }

  applyRow(row: KeyRow & { updatedAt?: Date | string }): void {
    this.#keys.set(row.id, toKeyRecord(row));
    const updated = row.updatedAt ? new Date(row.updatedAt) : null;
    if (updated && updated > this.#syncedUntil) this.#syncedUntil = updated;
  }

  async syncChanged(): Promise<void> {
    // >= and not >: two writes in the same millisecond must both be seen; re-applying one is harmless.
    const rows = await ApiKey.findAll({ where: { updatedAt: { [Op.gte]: this.#syncedUntil } }, raw: true });
    for (const row of rows) this.applyRow(row);
  }

  /** Record a use in memory; written back in the next flush, not on the request path. */
  touch(id: string, ip: string | null): void {
    this.#used.set(id, { at: new Date(), ip });
  }

  async flushUsage(): Promise<void> {
    if (!this.#used.size) return;
    const batch = [...this.#used];
    this.#used.clear();
    for (const [id, use] of batch) {
      // silent: last use is not a change of the key, and must not wake every replica's sync.
      await ApiKey.update({ lastUsedAt: use.at, lastUsedIp: use.ip }, { where: { id }, silent: true });
    }
  }
}
