// Tells the other replicas, through Redis pub/sub (REDIS_URL), that a table the hot path caches has
// changed here, so they look now instead of at their next database poll (up to a second later):
// a key made on one replica works on the others at once, and a revoked key stops at once.
//
// A message carries no data, only which table changed and who said so. A receiver never applies
// what a message says: it runs its ChangeWatcher pass, which reads the database (the source of
// truth) and reloads what really changed. So a forged message costs a few cheap queries and can
// change nothing, and a lost one (Redis down, a message dropped) only delays a change to the next
// poll; after a reconnect every replica runs a pass for what it may have missed meanwhile.
import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../log';
import { logOutages, withoutRedisPassword } from '../limits/redis';

export const CHANGE_CHANNEL = 'keyhold:changes';

export const SHARED_TABLES = ['api_keys', 'provider_accounts', 'credentials', 'access_rules', 'settings'] as const;
export type SharedTable = (typeof SHARED_TABLES)[number];

const isSharedTable = (value: string): value is SharedTable => (SHARED_TABLES as readonly string[]).includes(value);

export interface ChangeAnnouncer {
  /** After a committed write to `table`: the other replicas look at once (best effort, never throws). */
  announce(table: SharedTable): void;
}

export class ChangeBus implements ChangeAnnouncer {
  /** This process, so that it ignores its own announcements. */
  readonly origin = crypto.randomBytes(8).toString('hex');
  #onPeerChange: ((table: SharedTable | null) => void) | null = null;

  private constructor(
    private readonly publisher: Redis | null,
    private readonly subscriber: Redis | null,
    private readonly log: Logger,
  ) {}

  /** Without Redis, a bus that tells no one: replicas then learn of changes from their poll alone. */
  static async open(redis: Redis | null, log: Logger): Promise<ChangeBus> {
    if (!redis) return new ChangeBus(null, null, log);
    // A connection in subscriber mode can do nothing else, so it is a second one. It queues its
    // SUBSCRIBE while (re)connecting and ioredis subscribes again after every reconnect.
    const subscriber = redis.duplicate({ lazyConnect: true, enableOfflineQueue: true, maxRetriesPerRequest: null });
    const bus = new ChangeBus(redis, subscriber, log);
    logOutages(subscriber, log, {
      lost: 'redis change subscription lost; changes by other replicas arrive with the database poll until it is back',
      back: 'redis change subscription is back',
    });
    subscriber.on('message', (_channel: string, message: string) => bus.#receive(message));
    let connectedBefore = false;
    subscriber.on('ready', () => {
      // Announcements made while this connection was down are lost: look once for what they said.
      if (connectedBefore) bus.#onPeerChange?.(null);
      connectedBefore = true;
    });
    try {
      await subscriber.connect();
      await subscriber.subscribe(CHANGE_CHANNEL);
    } catch (err) {
      subscriber.disconnect();
      throw new Error(`Cannot subscribe to Redis at REDIS_URL: ${withoutRedisPassword((err as Error).message)}`);
    }
    return bus;
  }

  /** Who to tell when another replica announces a change (set once the caches exist); null: anything may have. */
  listen(onPeerChange: (table: SharedTable | null) => void): void {
    this.#onPeerChange = onPeerChange;
  }

  announce(table: SharedTable): void {
    if (!this.publisher) return;
    // Not awaited and never failing the write it follows: the poll delivers what a lost message would have.
    this.publisher.publish(CHANGE_CHANNEL, `${this.origin} ${table}`).catch((err: unknown) => {
      this.log.debug({ err: { message: (err as Error).message }, table }, 'could not announce a change; replicas will see it at their next poll');
    });
  }

  #receive(message: string): void {
    // Anyone who can reach Redis can publish here; only the shape is taken from the message.
    const [origin, table, ...rest] = message.length <= 200 ? message.split(' ') : [];
    if (!origin || !table || rest.length > 0 || !isSharedTable(table)) {
      this.log.debug({ length: message.length }, 'ignored a malformed change announcement');
      return;
    }
    if (origin === this.origin) return;
    this.log.debug({ table, from: origin }, 'a replica announced a change');
    this.#onPeerChange?.(table);
  }

  close(): void {
    this.#onPeerChange = null;
    this.subscriber?.disconnect();
  }
}
