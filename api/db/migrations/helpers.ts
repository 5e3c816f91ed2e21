// Building blocks that keep each migration idempotent: a step that already happened is skipped.
import type { QueryInterface, ModelAttributes } from 'sequelize';

export interface Migration {
  name: string;
  up(qi: QueryInterface): Promise<void>;
}

export interface IndexSpec {
  fields: string[];
  name: string;
  unique?: boolean;
}

export async function createTableIfMissing(
  qi: QueryInterface,
  table: string,
  attributes: ModelAttributes,
  indexes: IndexSpec[] = [],
): Promise<void> {
  if (!(await qi.tableExists(table))) await qi.createTable(table, attributes);
  const existing = (await qi.showIndex(table)) as Array<{ name: string }>;
  for (const index of indexes) {
    if (!existing.some((e) => e.name === index.name)) await qi.addIndex(table, index.fields, { name: index.name, unique: index.unique });
  }
}

export async function addColumnIfMissing(qi: QueryInterface, table: string, column: string, spec: Parameters<QueryInterface['addColumn']>[2]): Promise<void> {
  const existing = await qi.describeTable(table);
  if (!Object.hasOwn(existing, column)) await qi.addColumn(table, column, spec);
}
