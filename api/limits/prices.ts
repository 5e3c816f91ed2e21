// The price table: US dollars per million input and output tokens, per model. Seeded with the
// providers' published list prices for common models (November 2026 lists; admins edit them with
// PUT /api/admin/prices), kept in the settings table, cached in memory. A call's cost is
// price x the tokens the upstream reported.
import type { Sequelize } from 'sequelize';
import { z } from 'zod';
import { Setting } from '../models/setting';
import { runWriteTransaction } from '../db/write-transaction';
import { appendAuditEvent } from '../audit/record';
import type { Actor } from '../audit/actor';

export const priceSchema = z.object({ input: z.number().min(0).max(100_000), output: z.number().min(0).max(100_000) }).strict();
export const priceTableSchema = z.record(z.string().min(1).max(512), priceSchema).refine((table) => Object.keys(table).length <= 5000, 'at most 5000 models');

export type Price = z.infer<typeof priceSchema>;
export type PriceTable = z.infer<typeof priceTableSchema>;

export const SEED_PRICES: PriceTable = {
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  o3: { input: 2, output: 8 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  'claude-3-5-haiku-20241022': { input: 0.8, output: 4 },
  'claude-3-5-sonnet-20241022': { input: 3, output: 15 },
  'claude-3-7-sonnet-20250219': { input: 3, output: 15 },
  'claude-sonnet-4-20250514': { input: 3, output: 15 },
  'claude-opus-4-20250514': { input: 15, output: 75 },
  'gemini-2.0-flash': { input: 0.1, output: 0.4 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5 },
  'gemini-2.5-pro': { input: 1.25, output: 10 },
  'anthropic.claude-3-5-sonnet-20240620-v1:0': { input: 3, output: 15 },
  'amazon.titan-embed-text-v2:0': { input: 0.02, output: 0 },
};

const SETTING_KEY = 'prices';

export class PriceBook {
  #table: PriceTable = SEED_PRICES;

  async load(): Promise<void> {
    const row = await Setting.findByPk(SETTING_KEY);
    const parsed = priceTableSchema.safeParse(row?.value);
    this.#table = parsed.success ? parsed.data : SEED_PRICES;
  }

  get table(): PriceTable {
    return this.#table;
  }

  /** The first name with a price: `account/model`, then the public name, then the upstream's own. */
  priceOf(names: readonly (string | null | undefined)[]): Price | null {
    for (const name of names) if (name && Object.hasOwn(this.#table, name)) return this.#table[name];
    return null;
  }

  static cost(price: Price, promptTokens: number, completionTokens: number): number {
    return (promptTokens * price.input + completionTokens * price.output) / 1_000_000;
  }

  async replace(sequelize: Sequelize, actor: Actor, table: PriceTable): Promise<PriceTable> {
    await runWriteTransaction(sequelize, async (tx) => {
      const before = this.#table;
      await Setting.upsert({ key: SETTING_KEY, value: table }, { transaction: tx });
      await appendAuditEvent(tx, actor, { action: 'prices.updated', targetType: 'settings', targetId: SETTING_KEY, before, after: table });
    });
    this.#table = table;
    return table;
  }
}
