// Admin-editable settings with typed defaults, kept in the `settings` table and cached in memory.
// Read on the hot path from the cache; written with an audit event.
import type { Sequelize } from 'sequelize';
import { z } from 'zod';
import { rateLimitFields } from '../limits/limit-schema';
import { Setting } from '../models/setting';
import { runWriteTransaction } from '../db/write-transaction';
import { appendAuditEvent } from '../audit/record';
import type { Actor } from '../audit/actor';

/** Limits that apply to each user of a role (all their keys and sessions together). */
export const roleLimitsSchema = z
  .object({
    ...rateLimitFields,
    budget: z
      .object({ usd: z.number().positive().max(1_000_000).optional(), tokens: z.number().int().positive().optional(), period: z.enum(['day', 'month', 'total']) })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();

export type RoleLimits = z.infer<typeof roleLimitsSchema>;

export const settingsSchema = z
  .object({
    /** What happens when no rule matches: members and admins may use any model, or nobody may. */
    defaultPolicy: z.enum(['allow-authenticated', 'deny']),
    /** Longest lifetime an API key may be given, in days; null for no maximum. */
    maxKeyLifetimeDays: z.number().int().min(1).max(3650).nullable(),
    /** Grace period for a rotated key's old secret, in hours (0 = immediately invalid). */
    keyRotationGraceHours: z.number().int().min(0).max(24 * 30),
    /** Per-user limits by role (member, guest, admin, owner, component); absent = no limit. */
    defaultLimits: z.partialRecord(z.enum(['owner', 'admin', 'member', 'guest', 'component']), roleLimitsSchema),
    /** Usage records older than this many days are pruned (hourly); null or 0 keeps them forever. */
    usageRetentionDays: z.number().int().min(0).max(36500).nullable(),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = { defaultPolicy: 'allow-authenticated', maxKeyLifetimeDays: 365, keyRotationGraceHours: 24, defaultLimits: {}, usageRetentionDays: 90 };

const KEY = 'admin-settings';

export class SettingsStore {
  #current: Settings = DEFAULT_SETTINGS;
  readonly #listeners = new Set<(settings: Settings) => void>();

  async load(): Promise<Settings> {
    const row = await Setting.findByPk(KEY);
    const parsed = settingsSchema.partial().safeParse(row?.value ?? {});
    this.#current = { ...DEFAULT_SETTINGS, ...(parsed.success ? parsed.data : {}) };
    return this.#current;
  }

  get current(): Settings {
    return this.#current;
  }

  onChange(listener: (settings: Settings) => void): void {
    this.#listeners.add(listener);
  }

  async update(sequelize: Sequelize, actor: Actor, changes: Partial<Settings>): Promise<Settings> {
    const before = this.#current;
    const after = { ...before, ...changes };
    await runWriteTransaction(sequelize, async (tx) => {
      await Setting.upsert({ key: KEY, value: after }, { transaction: tx });
      await appendAuditEvent(tx, actor, { action: 'settings.updated', targetType: 'settings', targetId: KEY, before, after });
    });
    this.#current = after;
    for (const listener of this.#listeners) listener(after);
    return after;
  }
}
