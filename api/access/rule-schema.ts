// The shape of one authorization rule as the API and the rules file take it (a superset of
// TrueFoundry's `authz_rules` entries), with every size capped and every charset narrowed.
import { z } from 'zod';

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
  })
  .strict();

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
  };
}
