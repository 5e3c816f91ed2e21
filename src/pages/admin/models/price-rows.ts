// The price table as editable rows (text while typing), the checks priceTableSchema makes
// (api/limits/prices.ts), and the table PUT /api/admin/prices takes.
import type { Price } from '../parts/api-types';

export interface PriceRow {
  /** Local identity for React and for row errors; not sent. */
  rowId: number;
  model: string;
  input: string;
  output: string;
}

export type RowErrors = Record<number, string>;

const MAX_PRICE = 100_000;
const MAX_ROWS = 5000;
let nextRowId = 1;

export function newPriceRow(model = '', input = '', output = ''): PriceRow {
  return { rowId: nextRowId++, model, input, output };
}

export function toPriceRows(table: Record<string, Price>): PriceRow[] {
  return Object.entries(table)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([model, price]) => newPriceRow(model, String(price.input), String(price.output)));
}

function priceProblem(text: string, label: string): string | null {
  if (!text.trim()) return `${label} price is required (0 for free)`;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > MAX_PRICE) return `${label} price must be a number from 0 to ${MAX_PRICE}`;
  return null;
}

export function validatePriceRows(rows: PriceRow[]): { errors: RowErrors; tableError: string | null } {
  const errors: RowErrors = {};
  const seen = new Set<string>();
  for (const row of rows) {
    const model = row.model.trim();
    const problem = !model
      ? 'model name is required'
      : model.length > 512
        ? 'model name is at most 512 characters'
        : seen.has(model)
          ? `${model} is listed twice`
          : (priceProblem(row.input, 'input') ?? priceProblem(row.output, 'output'));
    if (problem) errors[row.rowId] = problem;
    seen.add(model);
  }
  return { errors, tableError: rows.length > MAX_ROWS ? `at most ${MAX_ROWS} models` : null };
}

export function toPriceTable(rows: PriceRow[]): Record<string, Price> {
  return Object.fromEntries(rows.map((row) => [row.model.trim(), { input: Number(row.input), output: Number(row.output) }]));
}
