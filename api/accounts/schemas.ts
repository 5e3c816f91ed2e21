// Input shapes of the provider account and credential API (camelCase; credential fields keep the
// providers' own names). Sizes are capped so an oversized value is a 400 naming its field.
import { z } from 'zod';
import { PROVIDER_TYPES, NEEDS_BASE_URL, NEEDS_REGION } from './provider-types';
import { accountLimitsSchema } from '../limits/limit-schema';

const MAX_SECRET = 16 * 1024;

export const accountName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a lowercase slug: a-z, 0-9 and "-", at most 63 characters');

// No "/" (it separates account and model in `account/model`) and no whitespace or control characters.
const modelName = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^/\s*]+$/, 'must not contain "/", "*" or whitespace')
  .refine((name) => !/^\.{1,2}$/.test(name), 'must not be "." or ".."');

const baseUrl = z
  .string()
  .max(2048)
  .refine((v) => /^https?:\/\/[^\s/?#]+[^\s?#]*$/.test(v) && URL.canParse(v), 'must be an http(s) URL without query or fragment');

const accountFields = {
  type: z.enum(PROVIDER_TYPES),
  baseUrl: baseUrl.nullable(),
  region: z.string().regex(/^[a-z]{2}(-[a-z0-9]+){1,3}$/, 'must be a region name such as us-east-1').nullable(),
  apiVersion: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a version such as 2024-10-21').nullable(),
  enabled: z.boolean(),
  // A model name as the upstream knows it; "*" lets `account/<any model>` through to the upstream as asked.
  enabledModels: z.array(modelName.or(z.literal('*'))).max(2000),
  modelAliases: z.record(modelName, modelName).refine((value) => Object.keys(value).length <= 2000, 'at most 2000 aliases'),
  weight: z.number().int().min(0).max(1000),
  timeoutMs: z.number().int().min(100).max(600_000).nullable(),
  limits: accountLimitsSchema.nullable(),
};

export const createAccountSchema = z
  .object({ name: accountName, ...accountFields, baseUrl: accountFields.baseUrl.optional(), region: accountFields.region.optional(),
    apiVersion: accountFields.apiVersion.optional(), enabled: accountFields.enabled.optional(),
    enabledModels: accountFields.enabledModels.optional(), timeoutMs: accountFields.timeoutMs.optional(),
    modelAliases: accountFields.modelAliases.optional(), weight: accountFields.weight.optional(),
    limits: accountFields.limits.optional() })
  .strict()
  .superRefine((value, ctx) => {
    if (NEEDS_BASE_URL.has(value.type) && !value.baseUrl) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: `is required for ${value.type}` });
    if (NEEDS_REGION.has(value.type) && !value.region) ctx.addIssue({ code: 'custom', path: ['region'], message: `is required for ${value.type}` });
  });

export const updateAccountSchema = z
  .object({ name: accountName, ...accountFields })
  .omit({ type: true })
  .partial()
  .strict();

export type CreateAccountInput = z.infer<typeof createAccountSchema>;
export type UpdateAccountInput = z.infer<typeof updateAccountSchema>;

const fieldName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'field names are lowercase snake_case');
const secretValue = z.string().min(1, 'must not be empty').max(MAX_SECRET, `must be at most ${MAX_SECRET} characters`);
const refText = z.string().min(5).max(20_000);

export const CREDENTIAL_TYPES = ['api_key', 'access_key_pair', 'custom'] as const;

const credentialFields = {
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, 'must be 1-64 letters, digits, space, ".", "_" or "-"'),
  value: z.record(fieldName, secretValue),
  ref: z.union([refText, z.record(fieldName, refText)]),
  weight: z.number().int().min(0).max(1000),
  enabled: z.boolean(),
};

export const createCredentialSchema = z
  .object({
    name: credentialFields.name,
    type: z.enum(CREDENTIAL_TYPES),
    value: credentialFields.value.optional(),
    ref: credentialFields.ref.optional(),
    weight: credentialFields.weight.optional(),
    enabled: credentialFields.enabled.optional(),
  })
  .strict();

export const updateCredentialSchema = z.object(credentialFields).partial().strict();

export type CreateCredentialInput = z.infer<typeof createCredentialSchema>;
export type UpdateCredentialInput = z.infer<typeof updateCredentialSchema>;
