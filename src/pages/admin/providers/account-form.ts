// The provider account form: its fields as text, checks that mirror api/accounts/schemas.ts (so most
// mistakes show before a round trip; the server still decides), and the create / update bodies.
import { NEEDS_BASE_URL, NEEDS_REGION, type AccountView, type ProviderType } from '../parts/api-types';
import type { FieldErrors } from '../parts/use-submit';

export interface AccountFormValues {
  name: string;
  type: ProviderType;
  baseUrl: string;
  region: string;
  apiVersion: string;
  /** One model per line (commas also separate). */
  enabledModels: string;
  /** One `alias = upstream model` per line. */
  modelAliases: string;
  weight: string;
  timeoutMs: string;
  enabled: boolean;
  /** The account's own limits (every caller together), named as the API's 400 `param` names them. */
  'limits.rpm': string;
  'limits.tpm': string;
  'limits.concurrency': string;
}

export const ACCOUNT_FIELDS = ['name', 'type', 'baseUrl', 'region', 'apiVersion', 'enabledModels', 'modelAliases', 'weight', 'timeoutMs', 'limits.rpm', 'limits.tpm', 'limits.concurrency'] as const;

/** Each limit field, with the bounds api/limits/limit-schema.ts allows. */
export const LIMIT_FIELDS = [
  { key: 'limits.rpm', api: 'rpm', label: 'Requests / min', max: 1_000_000 },
  { key: 'limits.tpm', api: 'tpm', label: 'Tokens / min', max: 1_000_000_000 },
  { key: 'limits.concurrency', api: 'concurrency', label: 'In flight', max: 10_000 },
] as const;


export const BASE_URL_HINT: Record<ProviderType, string> = {
  openai: 'Leave empty for https://api.openai.com/v1',
  'azure-openai': 'Your resource endpoint, e.g. https://my-resource.openai.azure.com',
  anthropic: 'Leave empty for https://api.anthropic.com',
  'google-gemini': 'Leave empty for the Gemini API',
  'aws-bedrock': 'Leave empty for the regional Bedrock endpoint',
  ollama: 'Leave empty for http://127.0.0.1:11434',
  'openai-compatible': 'The server’s OpenAI-style base URL, e.g. https://openrouter.ai/api/v1',
};

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const REGION = /^[a-z]{2}(-[a-z0-9]+){1,3}$/;
const API_VERSION = /^[A-Za-z0-9._-]{1,64}$/;
const BASE_URL = /^https?:\/\/[^\s/?#]+[^\s?#]*$/;
const MODEL = /^[^/\s*]+$/;

export function emptyAccountForm(): AccountFormValues {
  return { name: '', type: 'openai', baseUrl: '', region: '', apiVersion: '', enabledModels: '', modelAliases: '', weight: '1', timeoutMs: '', enabled: true,
    'limits.rpm': '', 'limits.tpm': '', 'limits.concurrency': '' };
}

export function accountFormFrom(account: AccountView): AccountFormValues {
  return {
    name: account.name,
    type: account.type,
    baseUrl: account.baseUrl ?? '',
    region: account.region ?? '',
    apiVersion: account.apiVersion ?? '',
    enabledModels: account.enabledModels.join('\n'),
    modelAliases: Object.entries(account.modelAliases)
      .map(([alias, model]) => `${alias} = ${model}`)
      .join('\n'),
    weight: String(account.weight),
    timeoutMs: account.timeoutMs === null ? '' : String(account.timeoutMs),
    enabled: account.enabled,
    'limits.rpm': account.limits?.rpm ? String(account.limits.rpm) : '',
    'limits.tpm': account.limits?.tpm ? String(account.limits.tpm) : '',
    'limits.concurrency': account.limits?.concurrency ? String(account.limits.concurrency) : '',
  };
}

function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

function parseAliases(text: string): { aliases: Record<string, string>; error: string | null } {
  const aliases: Record<string, string> = {};
  for (const [index, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    const match = /^\s*([^=\s]+)\s*=\s*([^=\s]+)\s*$/.exec(line);
    if (!match) return { aliases, error: `line ${index + 1}: write "alias = upstream-model"` };
    if (!MODEL.test(match[1]) || !MODEL.test(match[2])) return { aliases, error: `line ${index + 1}: names must not contain "/", "*" or spaces` };
    aliases[match[1]] = match[2];
  }
  return { aliases, error: null };
}

function parseInteger(text: string, min: number, max: number): number | null | 'invalid' {
  if (!text.trim()) return null;
  const value = Number(text);
  return Number.isInteger(value) && value >= min && value <= max ? value : 'invalid';
}

export function validateAccountForm(form: AccountFormValues): FieldErrors {
  const errors: FieldErrors = {};
  if (!NAME.test(form.name)) errors.name = 'a lowercase slug: a-z, 0-9 and "-", at most 63 characters';
  const baseUrl = form.baseUrl.trim();
  if (baseUrl && !BASE_URL.test(baseUrl)) errors.baseUrl = 'an http(s) URL without query or fragment';
  else if (!baseUrl && NEEDS_BASE_URL.has(form.type)) errors.baseUrl = `is required for ${form.type}`;
  if (form.region.trim() && !REGION.test(form.region.trim())) errors.region = 'a region name such as us-east-1';
  else if (!form.region.trim() && NEEDS_REGION.has(form.type)) errors.region = `is required for ${form.type}`;
  if (form.apiVersion.trim() && !API_VERSION.test(form.apiVersion.trim())) errors.apiVersion = 'a version such as 2024-10-21';
  const badModel = splitList(form.enabledModels).find((m) => m !== '*' && !MODEL.test(m));
  if (badModel) errors.enabledModels = `"${badModel}": a model name as the upstream knows it, without "/" or spaces (or * for any)`;
  const aliases = parseAliases(form.modelAliases);
  if (aliases.error) errors.modelAliases = aliases.error;
  const weight = parseInteger(form.weight, 0, 1000);
  if (weight === 'invalid' || weight === null) errors.weight = 'a whole number from 0 to 1000';
  if (parseInteger(form.timeoutMs, 100, 600_000) === 'invalid') errors.timeoutMs = 'milliseconds from 100 to 600000, or empty';
  for (const field of LIMIT_FIELDS) {
    if (parseInteger(form[field.key], 1, field.max) === 'invalid') errors[field.key] = `a whole number from 1 to ${field.max.toLocaleString('en')}, or empty`;
  }
  return errors;
}

/** Fields every write sends; empty text means "none" (null), as the API expects. */
function commonBody(form: AccountFormValues) {
  const orNull = (text: string) => text.trim() || null;
  const timeout = parseInteger(form.timeoutMs, 100, 600_000);
  return {
    name: form.name,
    baseUrl: orNull(form.baseUrl),
    region: orNull(form.region),
    apiVersion: orNull(form.apiVersion),
    enabledModels: splitList(form.enabledModels),
    modelAliases: parseAliases(form.modelAliases).aliases,
    weight: Number(form.weight),
    timeoutMs: typeof timeout === 'number' ? timeout : null,
    limits: limitsBody(form),
  };
}

/** The limits that are set, or null for none (the API refuses an empty object). */
function limitsBody(form: AccountFormValues): Record<string, number> | null {
  const limits: Record<string, number> = {};
  for (const field of LIMIT_FIELDS) {
    const value = parseInteger(form[field.key], 1, field.max);
    if (typeof value === 'number') limits[field.api] = value;
  }
  return Object.keys(limits).length ? limits : null;
}

export function toCreateBody(form: AccountFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = { ...commonBody(form), type: form.type, enabled: form.enabled };
  // Optional on create: absent rather than null lets the server apply its per-type defaults.
  for (const key of ['baseUrl', 'region', 'apiVersion', 'timeoutMs', 'limits'] as const) if (body[key] === null) delete body[key];
  return body;
}

export function toUpdateBody(form: AccountFormValues): Record<string, unknown> {
  return commonBody(form);
}
