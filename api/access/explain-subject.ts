// POST /api/admin/access/explain: builds the principal an admin asks about (a user by DID and role,
// an API key by id, or a component by DID) the way identity would, then explains the decision.
import { z } from 'zod';
import { ApiKey } from '../models/api-key';
import { ResourceNotFound } from '../errors';
import { scopesForRole, type Principal } from '../identity/principal';
import type { AccessControl } from './access-control';
import type { AccessExplanation } from './explain-access';

const did = z.string().min(1).max(256).regex(/^[A-Za-z0-9:._-]+$/, 'may contain only letters, digits and : . _ -');

export const explainInputSchema = z
  .object({
    principal: z
      .object({
        did: did.optional(),
        role: z.enum(['owner', 'admin', 'member', 'guest']).optional(),
        keyId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'may contain only letters, digits, _ and -').optional(),
        componentDid: did.optional(),
      })
      .strict()
      .superRefine((p, ctx) => {
        const kinds = [p.keyId, p.componentDid].filter((v) => v !== undefined).length;
        if (kinds > 1) ctx.addIssue({ code: 'custom', path: ['componentDid'], message: 'give keyId or componentDid, not both' });
        else if (kinds === 1 && (p.did !== undefined || p.role !== undefined)) {
          ctx.addIssue({ code: 'custom', path: [p.did !== undefined ? 'did' : 'role'], message: 'comes from the key or component; leave it out' });
        } else if (kinds === 0 && p.role === undefined) ctx.addIssue({ code: 'custom', path: ['role'], message: 'is required without keyId or componentDid' });
      }),
    model: z
      .string()
      .max(256)
      .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._:@+/-]+$/, 'must be a fully qualified model name: account/model'),
  })
  .strict();

export type ExplainInput = z.infer<typeof explainInputSchema>;

interface Subject {
  principal: Principal;
  /** Set when the key could not be used at all, whatever the rules say. */
  refusal: string | null;
}

async function resolveKeySubject(keyId: string, now: Date): Promise<Subject> {
  const key = await ApiKey.findByPk(keyId);
  if (!key) throw new ResourceNotFound('API key');
  // A key acts with its owner's role, capped by its scopes.
  const allowed = scopesForRole(key.ownerRole);
  const principal: Principal = {
    kind: 'key',
    did: key.ownerDid,
    role: key.ownerRole,
    keyId: key.id,
    scopes: key.scopes.filter((scope) => allowed.includes(scope)),
    clientId: key.clientId ?? undefined,
    keyModels: key.models,
  };
  const refusal = key.revokedAt ? 'the API key is revoked' : key.expiresAt && key.expiresAt <= now ? 'the API key has expired' : null;
  return { principal, refusal };
}

async function resolveSubject(input: ExplainInput['principal'], now: Date): Promise<Subject> {
  if (input.keyId !== undefined) return resolveKeySubject(input.keyId, now);
  if (input.componentDid !== undefined) {
    return { principal: { kind: 'component', did: input.componentDid, role: 'component', componentDid: input.componentDid, scopes: ['read', 'write'] }, refusal: null };
  }
  const role = input.role ?? 'guest';
  return { principal: { kind: 'user', did: input.did ?? '', role, scopes: scopesForRole(role) }, refusal: null };
}

export async function explainForAdmin(access: AccessControl, input: ExplainInput, now = new Date()): Promise<AccessExplanation> {
  const { principal, refusal } = await resolveSubject(input.principal, now);
  const explanation = access.explain(principal, input.model);
  return refusal ? { ...explanation, allowed: false, rule: null, reason: refusal } : explanation;
}
