// Rule changes, each written with its audit event in one transaction; the compiled rules are
// rebuilt after the commit, so the change applies to the next authorize().
import crypto from 'node:crypto';
import type { Sequelize, Transaction } from 'sequelize';
import { AccessRule } from '../models/access-rule';
import { RequestInvalid, ResourceNotFound } from '../errors';
import { runWriteTransaction } from '../db/write-transaction';
import type { ChangeAnnouncer } from '../db/change-bus';
import { appendAuditEvent } from '../audit/record';
import type { Actor } from '../audit/actor';
import type { AccessControl } from './access-control';
import { MAX_RULES, completeRuleInput, type RuleInput, type RulePatch } from './rule-schema';
import { compareRules, toRuleView, type RuleView } from './rule-view';

export interface RulesDeps {
  sequelize: Sequelize;
  access: AccessControl;
  changeBus: ChangeAnnouncer;
}

const INSERT_BATCH = 500;

/** Every rule, in decision order: priority desc, then file position. */
export async function listRules(): Promise<RuleView[]> {
  return (await AccessRule.findAll()).map(toRuleView).sort(compareRules);
}

/** Every rule in file order (position), as the YAML export writes them. */
export async function listRulesInFileOrder(tx?: Transaction): Promise<RuleView[]> {
  return (await AccessRule.findAll({ order: [['position', 'ASC']], transaction: tx })).map(toRuleView);
}

export async function findRule(id: string): Promise<RuleView> {
  const row = await AccessRule.findByPk(id);
  if (!row) throw new ResourceNotFound('Rule');
  return toRuleView(row);
}

async function commitAndReload<T>(deps: RulesDeps, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const result = await runWriteTransaction(deps.sequelize, work);
  await deps.access.load();
  deps.changeBus.announce('access_rules');
  return result;
}

export async function createRule(deps: RulesDeps, actor: Actor, input: RuleInput): Promise<RuleView> {
  return commitAndReload(deps, async (tx) => {
    if ((await AccessRule.count({ transaction: tx })) >= MAX_RULES) throw new RequestInvalid(`at most ${MAX_RULES} rules may exist`);
    const last: unknown = await AccessRule.max('position', { transaction: tx });
    const position = typeof last === 'number' ? last + 1 : 0;
    const row = await AccessRule.create({ id: crypto.randomUUID(), position, ...completeRuleInput(input) }, { transaction: tx });
    const view = toRuleView(row);
    await appendAuditEvent(tx, actor, { action: 'rule.created', targetType: 'rule', targetId: row.id, after: view });
    return view;
  });
}

export async function updateRule(deps: RulesDeps, actor: Actor, id: string, patch: RulePatch): Promise<RuleView> {
  return commitAndReload(deps, async (tx) => {
    const row = await AccessRule.findByPk(id, { transaction: tx });
    if (!row) throw new ResourceNotFound('Rule');
    const before = toRuleView(row);
    if ((patch.effect ?? row.effect) === 'deny' && (patch.limits === undefined ? row.limits : patch.limits)) {
      throw new RequestInvalid('only an allow rule can carry limits', 'limits');
    }
    await row.update(patch, { transaction: tx });
    const after = toRuleView(row);
    await appendAuditEvent(tx, actor, { action: 'rule.updated', targetType: 'rule', targetId: id, before, after });
    return after;
  });
}

export async function deleteRule(deps: RulesDeps, actor: Actor, id: string): Promise<void> {
  await commitAndReload(deps, async (tx) => {
    const row = await AccessRule.findByPk(id, { transaction: tx });
    if (!row) throw new ResourceNotFound('Rule');
    await appendAuditEvent(tx, actor, { action: 'rule.deleted', targetType: 'rule', targetId: id, before: toRuleView(row) });
    await row.destroy({ transaction: tx });
  });
}

/** Replaces the whole rule set (a rules file import) in one transaction; positions follow the file. */
export async function replaceRules(deps: RulesDeps, actor: Actor, inputs: readonly RuleInput[]): Promise<RuleView[]> {
  return commitAndReload(deps, async (tx) => {
    const before = await listRulesInFileOrder(tx);
    await AccessRule.destroy({ where: {}, transaction: tx });
    const records = inputs.map((input, position) => ({ id: crypto.randomUUID(), position, ...completeRuleInput(input) }));
    for (let i = 0; i < records.length; i += INSERT_BATCH) {
      await AccessRule.bulkCreate(records.slice(i, i + INSERT_BATCH), { transaction: tx });
    }
    const after = await listRulesInFileOrder(tx);
    await appendAuditEvent(tx, actor, { action: 'rules.replaced', targetType: 'rules', targetId: null, before, after });
    return after;
  });
}
