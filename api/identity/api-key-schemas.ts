// Input shapes of the API key endpoints (members' own keys and admins' keys for anyone).
import { z } from 'zod';

const modelPattern = z.string().regex(/^[A-Za-z0-9*][A-Za-z0-9._:*\/-]{0,255}$/, 'must be a model name or pattern such as openai-main/gpt-4o or openai-main/*');

const keyFields = {
  name: z.string().trim().min(1, 'must not be empty').max(128),
  scopes: z.array(z.enum(['read', 'write', 'admin'])).min(1).max(3),
  models: z.array(modelPattern).max(200),
  expiresAt: z.iso.datetime({ offset: true }).nullable(),
  rpm: z.number().int().min(1).max(1_000_000).nullable(),
  tpm: z.number().int().min(1).max(1_000_000_000).nullable(),
  budget: z
    .object({
      usd: z.number().positive().max(1_000_000).optional(),
      tokens: z.number().int().positive().max(1_000_000_000_000).optional(),
      period: z.enum(['day', 'month', 'total']),
    })
    .strict()
    .refine((b) => b.usd !== undefined || b.tokens !== undefined, 'needs usd or tokens')
    .nullable(),
};

export const createOwnKeySchema = z
  .object({ ...keyFields, name: keyFields.name })
  .partial()
  .required({ name: true })
  .strict();

export const createKeyForOwnerSchema = z
  .object({
    ...keyFields,
    ownerDid: z.string().regex(/^[A-Za-z0-9:._-]{1,128}$/, 'must be a DID'),
    ownerRole: z.enum(['owner', 'admin', 'member', 'guest']),
    clientId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 letters, digits, ".", "_", ":" or "-"').nullable(),
  })
  .partial()
  .required({ name: true })
  .strict();

export const rotateKeySchema = z
  .object({ graceHours: z.number().int().min(0).max(24 * 30).optional() })
  .strict();

export type CreateOwnKeyInput = z.infer<typeof createOwnKeySchema>;
export type CreateKeyForOwnerInput = z.infer<typeof createKeyForOwnerSchema>;
