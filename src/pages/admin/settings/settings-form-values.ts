// The settings form as text fields, to and from the Settings the API holds (api/settings/settings.ts),
// with the same ranges checked before saving. Error keys are the API's param paths, so a server 400
// and a local check land on the same input.
import { LIMIT_ROLES, type LimitRole, type RoleLimits, type Settings } from '../parts/api-types';
import type { FieldErrors } from '../parts/use-submit';

export interface RoleLimitValues {
  rpm: string;
  tpm: string;
  concurrency: string;
  budgetUsd: string;
  budgetTokens: string;
  budgetPeriod: 'day' | 'month' | 'total';
}

export interface SettingsValues {
  defaultPolicy: Settings['defaultPolicy'];
  maxKeyLifetimeDays: string;
  keyRotationGraceHours: string;
  usageRetentionDays: string;
  limits: Record<LimitRole, RoleLimitValues>;
}

const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

function toLimitValues(limits: RoleLimits | undefined): RoleLimitValues {
  return {
    rpm: text(limits?.rpm),
    tpm: text(limits?.tpm),
    concurrency: text(limits?.concurrency),
    budgetUsd: text(limits?.budget?.usd),
    budgetTokens: text(limits?.budget?.tokens),
    budgetPeriod: limits?.budget?.period ?? 'month',
  };
}

export function toSettingsValues(settings: Settings): SettingsValues {
  return {
    defaultPolicy: settings.defaultPolicy,
    maxKeyLifetimeDays: text(settings.maxKeyLifetimeDays),
    keyRotationGraceHours: text(settings.keyRotationGraceHours),
    usageRetentionDays: text(settings.usageRetentionDays),
    limits: Object.fromEntries(LIMIT_ROLES.map((role) => [role, toLimitValues(settings.defaultLimits[role])])) as Record<LimitRole, RoleLimitValues>,
  };
}

type Check = { path: string; value: string; min: number; max: number; integer: boolean; required?: boolean };

function checkNumber({ path, value, min, max, integer, required }: Check, errors: FieldErrors): void {
  if (!value.trim()) {
    if (required) errors[path] = 'is required';
    return;
  }
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    errors[path] = `${integer ? 'a whole number' : 'a number'} from ${min} to ${max.toLocaleString('en-US')}`;
  }
}

export function validateSettingsValues(values: SettingsValues): FieldErrors {
  const errors: FieldErrors = {};
  checkNumber({ path: 'maxKeyLifetimeDays', value: values.maxKeyLifetimeDays, min: 1, max: 3650, integer: true }, errors);
  checkNumber({ path: 'keyRotationGraceHours', value: values.keyRotationGraceHours, min: 0, max: 720, integer: true, required: true }, errors);
  checkNumber({ path: 'usageRetentionDays', value: values.usageRetentionDays, min: 0, max: 36500, integer: true }, errors);
  for (const role of LIMIT_ROLES) {
    const l = values.limits[role];
    const at = (field: string) => `defaultLimits.${role}.${field}`;
    checkNumber({ path: at('rpm'), value: l.rpm, min: 1, max: 1_000_000, integer: true }, errors);
    checkNumber({ path: at('tpm'), value: l.tpm, min: 1, max: 1_000_000_000, integer: true }, errors);
    checkNumber({ path: at('concurrency'), value: l.concurrency, min: 1, max: 10_000, integer: true }, errors);
    checkNumber({ path: at('budget.usd'), value: l.budgetUsd, min: 0.000001, max: 1_000_000, integer: false }, errors);
    checkNumber({ path: at('budget.tokens'), value: l.budgetTokens, min: 1, max: Number.MAX_SAFE_INTEGER, integer: true }, errors);
  }
  return errors;
}

const numberOrNull = (value: string) => (value.trim() ? Number(value) : null);

function toRoleLimits(l: RoleLimitValues): RoleLimits | null {
  const limits: RoleLimits = {};
  if (l.rpm.trim()) limits.rpm = Number(l.rpm);
  if (l.tpm.trim()) limits.tpm = Number(l.tpm);
  if (l.concurrency.trim()) limits.concurrency = Number(l.concurrency);
  if (l.budgetUsd.trim() || l.budgetTokens.trim()) {
    limits.budget = { period: l.budgetPeriod, ...(l.budgetUsd.trim() ? { usd: Number(l.budgetUsd) } : {}), ...(l.budgetTokens.trim() ? { tokens: Number(l.budgetTokens) } : {}) };
  }
  return Object.keys(limits).length ? limits : null;
}

export function toSettingsBody(values: SettingsValues): Settings {
  const defaultLimits: Settings['defaultLimits'] = {};
  for (const role of LIMIT_ROLES) {
    const limits = toRoleLimits(values.limits[role]);
    if (limits) defaultLimits[role] = limits;
  }
  return {
    defaultPolicy: values.defaultPolicy,
    maxKeyLifetimeDays: numberOrNull(values.maxKeyLifetimeDays),
    keyRotationGraceHours: Number(values.keyRotationGraceHours),
    usageRetentionDays: numberOrNull(values.usageRetentionDays),
    defaultLimits,
  };
}

/** Every input's API path, for mapping a server 400 onto the form. */
export const SETTINGS_FIELDS = [
  'defaultPolicy', 'maxKeyLifetimeDays', 'keyRotationGraceHours', 'usageRetentionDays',
  ...LIMIT_ROLES.flatMap((role) => ['rpm', 'tpm', 'concurrency', 'budget.usd', 'budget.tokens', 'budget.period', 'budget'].map((f) => `defaultLimits.${role}.${f}`)),
  'defaultLimits',
];
