// What happens when the upstream says a credential is bad (401/403): it leaves rotation at once,
// its status and scrubbed reason are stored, an audit event is written and the admins are told.
// A background re-check (recheck.ts) brings it back when it works again.
import type { Sequelize } from 'sequelize';
import { Credential } from '../../models/credential';
import { runWriteTransaction } from '../../db/write-transaction';
import { appendAuditEvent } from '../../audit/record';
import { SYSTEM_ACTOR } from '../../audit/actor';
import type { Logger } from '../../log';
import type { AdminNotifier } from '../../notify/admin-notifier';
import type { CatalogAccount, CatalogCredential } from './catalog';
import type { CredentialHealth } from './credential-health';
import type { ChangeAnnouncer } from '../../db/change-bus';

export interface CredentialStatusDeps {
  sequelize: Sequelize;
  log: Logger;
  health: CredentialHealth;
  notifier: AdminNotifier;
  changeBus: ChangeAnnouncer;
}

async function storeStatus(deps: CredentialStatusDeps, id: string, status: 'active' | 'error', reason: string | null, action: string): Promise<void> {
  await runWriteTransaction(deps.sequelize, async (tx) => {
    const row = await Credential.findByPk(id, { transaction: tx });
    // Deleted, or disabled by an admin meanwhile: the admin's decision stands.
    if (!row || !row.enabled) return;
    const before = { status: row.status, lastError: row.lastError };
    await row.update({ status, lastError: reason, lastTestedAt: new Date() }, { transaction: tx });
    await appendAuditEvent(tx, SYSTEM_ACTOR, { action, targetType: 'credential', targetId: id, before, after: { status, lastError: reason } });
  });
  // The other replicas stop (or resume) using it at once rather than at their next poll.
  deps.changeBus.announce('credentials');
}

export async function disableRejectedCredential(deps: CredentialStatusDeps, account: CatalogAccount, credential: CatalogCredential, reason: string): Promise<void> {
  if (!deps.health.disable(credential.id)) return;
  const where = `credential "${credential.name}" of account "${account.name}"`;
  try {
    await storeStatus(deps, credential.id, 'error', reason.slice(0, 500), 'credential.disabled');
  } catch (err) {
    deps.log.error({ err, credentialId: credential.id }, 'could not store the disabled status');
  }
  await deps.notifier.notify({ title: 'Keyhold disabled a provider credential', body: `The upstream rejected ${where}: ${reason}`, severity: 'error' });
}

export async function restoreCredential(deps: CredentialStatusDeps, account: CatalogAccount, credential: CatalogCredential): Promise<void> {
  await storeStatus(deps, credential.id, 'active', null, 'credential.recovered');
  deps.health.restore(credential.id);
  await deps.notifier.notify({
    title: 'A provider credential works again',
    body: `Credential "${credential.name}" of account "${account.name}" passed its re-check and is back in rotation.`,
    severity: 'info',
  });
}
