// A budget crossing 80% or 100%: an audit event, the key's owner and the admins told (a Blocklet
// notification under Blocklet Server; a log line standalone). Never on the request's path.
import type { Sequelize } from 'sequelize';
import { runWriteTransaction } from '../db/write-transaction';
import { appendAuditEvent } from '../audit/record';
import { SYSTEM_ACTOR } from '../audit/actor';
import type { Logger } from '../log';
import type { AdminNotifier } from '../notify/admin-notifier';
import type { BudgetThreshold } from './budgets';

export function createBudgetAlerts(deps: { sequelize: Sequelize; log: Logger; notifier: AdminNotifier }): (event: BudgetThreshold) => void {
  return ({ spec, percent, spent }) => {
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
          appendAuditEvent(tx, SYSTEM_ACTOR, { action: `budget.reached_${percent}`, targetType: 'budget', targetId: spec.subject.slice(0, 128), after: { percent, period: spec.period, spent, usd: spec.usd ?? null, tokens: spec.tokens ?? null } }),
        );
      } catch (err) {
        deps.log.error({ err }, 'could not record a budget threshold');
      }
      await deps.notifier.notifyUser(spec.ownerDid, notice);
      await deps.notifier.notify(notice);
    })();
  };
}
