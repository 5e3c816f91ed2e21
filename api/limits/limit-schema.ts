// The rate-limit fields every place that sets limits shares (role defaults, rules, provider
// accounts), with the same bounds, so a number valid in one is valid in all.
import { z } from 'zod';

export const rateLimitFields = {
  rpm: z.number().int().min(1).max(1_000_000).nullable().optional(),
  tpm: z.number().int().min(1).max(1_000_000_000).nullable().optional(),
  concurrency: z.number().int().min(1).max(10_000).nullable().optional(),
};

export const RATE_LIMIT_REQUIRED = 'must set at least one of rpm, tpm, concurrency';

export function setsARateLimit(limits: { rpm?: number | null; tpm?: number | null; concurrency?: number | null }): boolean {
  return Boolean(limits.rpm || limits.tpm || limits.concurrency);
}

/** Limits on a provider account: the traffic Keyhold sends it, every caller together. */
export const accountLimitsSchema = z.object(rateLimitFields).strict().refine(setsARateLimit, RATE_LIMIT_REQUIRED);

export type AccountLimits = z.infer<typeof accountLimitsSchema>;
