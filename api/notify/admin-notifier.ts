// Telling the admins something needs them (a provider credential was disabled, a budget ran out).
// Under Blocklet Server: a Blocklet notification to the owner and every admin. Standalone: a warning
// log line (the audit trail has the event too). A failed notification is logged and never thrown.
import type { Config } from '../config';
import type { Logger } from '../log';

export interface AdminNotice {
  title: string;
  body: string;
  severity: 'info' | 'warning' | 'error';
}

export interface AdminNotifier {
  /** The owner and every admin. */
  notify(notice: AdminNotice): Promise<void>;
  /** One user (a key's owner). */
  notifyUser(did: string, notice: AdminNotice): Promise<void>;
}

interface UserList {
  users?: Array<{ did?: string }>;
}

class LogNotifier implements AdminNotifier {
  constructor(private readonly log: Logger) {}

  async notify(notice: AdminNotice): Promise<void> {
    this.log.warn({ notice: notice.title, severity: notice.severity }, notice.body);
  }

  async notifyUser(did: string, notice: AdminNotice): Promise<void> {
    this.log.warn({ notice: notice.title, severity: notice.severity, to: did }, notice.body);
  }
}

class BlockletNotifier implements AdminNotifier {
  constructor(private readonly log: Logger) {}

  async #adminDids(): Promise<string[]> {
    // Loaded lazily: the SDK's service clients connect on import, which only makes sense on Blocklet Server.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { BlockletService } = require('@blocklet/sdk/lib/service/blocklet') as { BlockletService: new () => { getOwner(): Promise<{ user?: { did?: string } }>; getUsers(args: unknown): Promise<UserList> } };
    const service = new BlockletService();
    const [owner, admins] = await Promise.all([service.getOwner(), service.getUsers({ query: { role: 'admin' }, paging: { pageSize: 100 } })]);
    const dids = [owner.user?.did, ...(admins.users ?? []).map((user) => user.did)].filter((did): did is string => typeof did === 'string' && did !== '');
    return [...new Set(dids)];
  }

  async #send(receivers: string[], notice: AdminNotice): Promise<void> {
    if (receivers.length === 0) return;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const notification = require('@blocklet/sdk/lib/service/notification') as { sendToUser(to: string[], n: unknown): Promise<unknown> };
    await notification.sendToUser(receivers, { title: notice.title, body: notice.body, severity: notice.severity });
  }

  async notify(notice: AdminNotice): Promise<void> {
    try {
      await this.#send(await this.#adminDids(), notice);
    } catch (err) {
      this.log.error({ err, notice: notice.title }, 'could not send the admin notification');
    }
    this.log.warn({ notice: notice.title, severity: notice.severity }, notice.body);
  }

  async notifyUser(did: string, notice: AdminNotice): Promise<void> {
    try {
      await this.#send([did], notice);
    } catch (err) {
      this.log.error({ err, notice: notice.title }, 'could not send the user notification');
    }
  }
}

export function createAdminNotifier(config: Pick<Config, 'mode'>, log: Logger): AdminNotifier {
  return config.mode === 'blocklet' ? new BlockletNotifier(log) : new LogNotifier(log);
}
