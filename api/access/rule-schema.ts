// The shape of one authorization rule as the API and the rules file take it (a superset of
// TrueFoundry's `authz_rules` entries), with every size capped and every charset narrowed.
import { z } from 'zod';
import { RATE_LIMIT_REQUIRED, rateLimitFields, setsARateLimit } from '../limits/limit-schema';

export const MAX_RULES = 10_000;
export const MAX_LIST = 200;
export const MAX_ITEM = 256;
export const RULE_ROLES = ['owner', 'admin', 'member', 'guest', 'component'] as const;
export const RULE_EFFECTS = ['allow', 'deny'] as const;

export type RuleRole = (typeof RULE_ROLES)[number];
export type RuleEffect = (typeof RULE_EFFECTS)[number];

const modelPattern = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_ITEM, `must be at most ${MAX_ITEM} characters`)
  .regex(/^[A-Za-z0-9._:@+*/-]+$/, 'may contain only letters, digits, "*" and . _ : @ + / -')
  .refine((p) => /^\*+$/.test(p) || /^[^/]+\/.+$/.test(p), 'must be account/model (with * wildcards) or *');

/** DIDs (did:abt:z1..., or the bare z1... form Blocklet Server uses) and API key ids. */
const subjectId = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_ITEM, `must be at most ${MAX_ITEM} characters`)
  .regex(/^[A-Za-z0-9:._-]+$/, 'may contain only letters, digits and : . _ -');

const list = <T extends z.ZodType>(item: T) => z.array(item).max(MAX_LIST, `must have at most ${MAX_LIST} entries`);

export const RULE_LIMIT_DIMENSIONS = ['user', 'key', 'model'] as const;

/**
 * Rate limits carried by an allow rule, for the calls it allows. `per` says what gets its own counter:
 * `[user]` (the default) one per caller, `[model]` one per model shared by every caller the rule
 * allows, `[user, model]` one per caller and model, `[]` one for everything the rule allows together.
 */
export const ruleLimitsSchema = z
  .object({
    ...rateLimitFields,
    per: z.array(z.enum(RULE_LIMIT_DIMENSIONS)).max(RULE_LIMIT_DIMENSIONS.length).refine((dims) => new Set(dims).size === dims.length, 'must not repeat a dimension').optional(),
  })
  .strict()
  .refine(setsARateLimit, RATE_LIMIT_REQUIRED);

export type RuleLimits = z.infer<typeof ruleLimitsSchema>;

const ruleFields = {
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,127}$/, 'must be 1-128 letters, digits, space or . _ : / -, starting with a letter or digit')
    .nullable(),
  models: list(modelPattern).min(1, 'must list at least one model pattern'),
  users: list(subjectId),
  roles: list(z.enum(RULE_ROLES)),
  components: list(subjectId),
  keys: list(subjectId),
  effect: z.enum(RULE_EFFECTS),
  priority: z.number().int().min(-1_000_000).max(1_000_000),
  enabled: z.boolean(),
  limits: ruleLimitsSchema.nullable(),
};

/** One rule: models and effect are required; subjects default to none (= every authenticated caller). */
export const ruleInputSchema = z
  .object({
    ...ruleFields,
    name: ruleFields.name.optional(),
    users: ruleFields.users.optional(),
    roles: ruleFields.roles.optional(),
    components: ruleFields.components.optional(),
    keys: ruleFields.keys.optional(),
    priority: ruleFields.priority.optional(),
    enabled: ruleFields.enabled.optional(),
    limits: ruleFields.limits.optional(),
  })
  .strict()
  // Only a call that is allowed can be counted: limits on a deny rule would never apply.
  .refine((rule) => !(rule.effect === 'deny' && rule.limits), { message: 'only an allow rule can carry limits', path: ['limits'] });

export const rulePatchSchema = z.object(ruleFields).partial().strict();

export const rulesFileSchema = z
  .object({ authz_rules: z.array(ruleInputSchema).max(MAX_RULES, `must have at most ${MAX_RULES} rules`) })
  .strict();

export type RuleInput = z.infer<typeof ruleInputSchema>;
export type RulePatch = z.infer<typeof rulePatchSchema>;

/** A rule with every field present: what is stored, compiled and exported. */
export interface RuleDefinition {
  id: string;
  name: string | null;
  position: number;
  models: string[];
  users: string[];
  roles: string[];
  components: string[];
  keys: string[];
  effect: RuleEffect;
  priority: number;
  enabled: boolean;
  limits: RuleLimits | null;
}

export function completeRuleInput(input: RuleInput): Omit<RuleDefinition, 'id' | 'position'> {
  return {
    name: input.name ?? null,
    models: input.models,
    users: input.users ?? [],
    roles: input.roles ?? [],
    components: input.components ?? [],
    keys: input.keys ?? [],
    effect: input.effect,
    priority: input.priority ?? 0,
    enabled: input.enabled ?? true,
    limits: input.limits ?? null,
  };
}
