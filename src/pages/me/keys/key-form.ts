// The "Create key" form's state and its translation into the POST /api/me/keys body, checked
// against the same limits as the server's schema (api/identity/api-key-schemas.ts) so most mistakes
// are caught before sending. The server stays the authority: its errors are shown as they come.
import type { KeyBudget, KeyScope } from './key-types';

export type ExpiryMode = 'none' | 'days' | 'date';

export interface KeyFormState {
  name: string;
  scopes: KeyScope[];
  models: string[];
  expiryMode: ExpiryMode;
  expiryDays: string;
  /** yyyy-mm-dd from a date input; the key expires at the end of that local day. */
  expiryDate: string;
  rpm: string;
  tpm: string;
  budgetUsd: string;
  budgetTokens: string;
  budgetPeriod: KeyBudget['period'];
}

export interface CreateKeyBody {
  name: string;
  scopes: KeyScope[];
  models: string[];
  expiresAt?: string;
  rpm?: number;
  tpm?: number;
  budget?: KeyBudget;
}

export type KeyFormErrors = Partial<Record<keyof KeyFormState, string>>;

export const EMPTY_KEY_FORM: KeyFormState = {
  name: '',
  scopes: ['read', 'write'],
  models: [],
  expiryMode: 'none',
  expiryDays: '30',
  expiryDate: '',
  rpm: '',
  tpm: '',
  budgetUsd: '',
  budgetTokens: '',
  budgetPeriod: 'month',
};

/** The server's model pattern: a model name or a pattern with * wildcards, such as openai-main/*. */
export const MODEL_PATTERN = /^[A-Za-z0-9*][A-Za-z0-9._:*/-]{0,255}$/;
const MAX_MODELS = 200;
const DAY_MS = 86_400_000;

type Parsed = { value: number | undefined; error?: string };

function parseWhole(text: string, max: number): Parsed {
  if (text.trim() === '') return { value: undefined };
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) return { value: undefined, error: 'Enter a whole number of at least 1.' };
  if (value > max) return { value: undefined, error: `At most ${max.toLocaleString()}.` };
  return { value };
}

function parseUsd(text: string): Parsed {
  if (text.trim() === '') return { value: undefined };
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) return { value: undefined, error: 'Enter an amount above 0.' };
  if (value > 1_000_000) return { value: undefined, error: 'At most $1,000,000.' };
  return { value };
}

function expiryOf(form: KeyFormState, now: number): { value?: string; error?: string } {
  if (form.expiryMode === 'none') return {};
  if (form.expiryMode === 'days') {
    const days = parseWhole(form.expiryDays, 3650);
    if (days.error || days.value === undefined) return { error: days.error ?? 'Enter a number of days.' };
    return { value: new Date(now + days.value * DAY_MS).toISOString() };
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.expiryDate)) return { error: 'Pick a date.' };
  const [year, month, day] = form.expiryDate.split('-').map(Number);
  const endOfDay = new Date(year, month - 1, day, 23, 59, 59);
  if (endOfDay.getTime() <= now) return { error: 'Pick a date in the future.' };
  return { value: endOfDay.toISOString() };
}

/** The request body, or the errors to show beside each field. */
export function toCreateKeyBody(form: KeyFormState, now = Date.now()): { body: CreateKeyBody } | { errors: KeyFormErrors } {
  const errors: KeyFormErrors = {};
  const name = form.name.trim();
  if (!name) errors.name = 'Give the key a name, e.g. where it will be used.';
  else if (name.length > 128) errors.name = 'At most 128 characters.';
  if (form.scopes.length === 0) errors.scopes = 'Choose at least one scope.';
  const badModel = form.models.find((m) => !MODEL_PATTERN.test(m));
  if (badModel) errors.models = `"${badModel}" is not a model name or pattern such as openai-main/gpt-4o or openai-main/*.`;
  else if (form.models.length > MAX_MODELS) errors.models = `At most ${MAX_MODELS} models.`;

  const expiry = expiryOf(form, now);
  if (expiry.error) errors[form.expiryMode === 'date' ? 'expiryDate' : 'expiryDays'] = expiry.error;
  const rpm = parseWhole(form.rpm, 1_000_000);
  if (rpm.error) errors.rpm = rpm.error;
  const tpm = parseWhole(form.tpm, 1_000_000_000);
  if (tpm.error) errors.tpm = tpm.error;
  const usd = parseUsd(form.budgetUsd);
  if (usd.error) errors.budgetUsd = usd.error;
  const tokens = parseWhole(form.budgetTokens, 1_000_000_000_000);
  if (tokens.error) errors.budgetTokens = tokens.error;

  if (Object.keys(errors).length > 0) return { errors };
  const body: CreateKeyBody = { name, scopes: form.scopes, models: form.models };
  if (expiry.value) body.expiresAt = expiry.value;
  if (rpm.value !== undefined) body.rpm = rpm.value;
  if (tpm.value !== undefined) body.tpm = tpm.value;
  if (usd.value !== undefined || tokens.value !== undefined) {
    body.budget = { period: form.budgetPeriod, ...(usd.value !== undefined ? { usd: usd.value } : {}), ...(tokens.value !== undefined ? { tokens: tokens.value } : {}) };
  }
  return { body };
}

/** Maps a server validation error's `param` (e.g. "expiresAt", "budget.usd") to the form field to mark. */
export function fieldOfParam(param: string | null, mode: ExpiryMode): keyof KeyFormState | null {
  if (!param) return null;
  const head = param.split('.')[0];
  if (head === 'expiresAt') return mode === 'date' ? 'expiryDate' : 'expiryDays';
  if (param === 'budget.usd') return 'budgetUsd';
  if (param === 'budget.tokens') return 'budgetTokens';
  const direct: Record<string, keyof KeyFormState> = { name: 'name', scopes: 'scopes', models: 'models', rpm: 'rpm', tpm: 'tpm', budget: 'budgetUsd' };
  return direct[head] ?? null;
}
