// A budget crossing 80% or 100%: an audit event, the key's owner and the admins told (a Blocklet
// notification under Blocklet Server; a log line standalone). Never on the request's path. The audit
// event is also the lasting record that a threshold was told: a ledger started again reads it back
// (announcedThresholds), so a restart or a Redis outage does not tell the same threshold twice.
import { QueryTypes, type Sequelize } from 'sequelize';
import { runWriteTransaction } from '../db/write-transaction';
import { appendAuditEvent } from '../audit/record';
import { SYSTEM_ACTOR } from '../audit/actor';
import type { Logger } from '../log';
import type { AdminNotifier } from '../notify/admin-notifier';
import type { BudgetSpec, BudgetThreshold } from './budgets';

/** The shares of a budget (percent) at which its owner and the admins are told. */
export const THRESHOLDS = [80, 100] as const;
const actionOf = (percent: number) => `budget.reached_${percent}`;
// The audit column's width: a user's subject carries a DID.
const targetOf = (subject: string) => subject.slice(0, 128);

export function createBudgetAlerts(deps: { sequelize: Sequelize; log: Logger; notifier: AdminNotifier }): (event: BudgetThreshold) => void {
  return ({ spec, percent, spent, periodStart }) => {
    const cap = [spec.usd !== undefined ? `$${spec.usd}` : null, spec.tokens !== undefined ? `${spec.tokens} tokens` : null].filter(Boolean).join(' / ');
    const period = spec.period === 'total' ? 'total' : spec.period === 'day' ? 'daily' : 'monthly';
    const notice = {
      title: percent === 100 ? 'A Keyhold budget is used up' : 'A Keyhold budget is 80% used',
      body: `${spec.label} has used ${percent}% of its ${period} budget (${cap}): $${spent.usd.toFixed(4)}, ${spent.tokens} tokens.`,
      severity: percent === 100 ? ('error' as const) : ('warning' as const),
    };
    void (async () => {
      try {
        await runWriteTransaction(deps.sequelize, (tx) =>
          appendAuditEvent(tx, SYSTEM_ACTOR, {
            action: actionOf(percent),
            targetType: 'budget',
            targetId: targetOf(spec.subject),
            after: { percent, period: spec.period, periodStart, spent, usd: spec.usd ?? null, tokens: spec.tokens ?? null },
          }),
        );
      } catch (err) {
        deps.log.error({ err }, 'could not record a budget threshold');
      }
      await deps.notifier.notifyUser(spec.ownerDid, notice);
      await deps.notifier.notify(notice);
    })();
  };
}

/**
 * The thresholds already told for this budget in the period that starts at `periodStart`, from the
 * audit events above. An event written before they carried `periodStart` counts when its period
 * matches and it was recorded in this period.
 */
export async function announcedThresholds(sequelize: Sequelize, spec: BudgetSpec, periodStart: Date): Promise<number[]> {
  const rows = await sequelize.query<{ action?: unknown; after?: unknown }>(
    `SELECT action, after FROM audit_events WHERE target_type = 'budget' AND target_id = :target AND action IN (:actions) AND time >= :since`,
    { type: QueryTypes.SELECT, replacements: { target: targetOf(spec.subject), actions: THRESHOLDS.map(actionOf), since: periodStart } },
  );
  const told = new Set<number>();
  for (const row of rows) {
    const percent = THRESHOLDS.find((p) => row.action === actionOf(p));
    if (!percent || typeof row.after !== 'string') continue;
    let after: { period?: unknown; periodStart?: unknown };
    try {
      after = JSON.parse(row.after) as typeof after;
    } catch {
      continue; // not what this module writes; `audit verify` is what reports an edited row
    }
    if (after.period === spec.period && (after.periodStart === undefined || after.periodStart === periodStart.toISOString())) told.add(percent);
  }
  return [...told];
}
