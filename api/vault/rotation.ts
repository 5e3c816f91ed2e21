// Key rotation: a new data key, every sealed field re-sealed under it in batches (one transaction
// each), then the old keys retired once no row uses them. Each step leaves every credential
// decryptable, so a crash anywhere is finished by the next start (resumeRotation).
import { Op, type Sequelize } from 'sequelize';
import { Credential } from '../models/credential';
import { KeyringKey } from '../models/keyring-key';
import { runWriteTransaction } from '../db/write-transaction';
import { appendAuditEvent } from '../audit/record';
import type { Actor } from '../audit/actor';
import { RotationRunning } from '../errors';
import type { Vault } from './vault';

export interface RotationDeps {
  sequelize: Sequelize;
  vault: Vault;
}

export interface RotationProgress {
  running: boolean;
  activeVersion: number;
  /** Rows with stored secrets, and how many of them are sealed under the active key. */
  total: number;
  done: number;
}

export interface RotationOptions {
  batchSize?: number;
  /** Called after each committed batch; awaited, so a caller can pace or report progress. */
  onBatch?: (progress: RotationProgress) => void | Promise<void>;
}

let running = false;

export async function rotationProgress(deps: RotationDeps): Promise<RotationProgress> {
  const active = deps.vault.keyring.activeVersion;
  const total = await Credential.count({ where: { keyVersion: { [Op.ne]: null } } });
  const done = await Credential.count({ where: { keyVersion: active } });
  return { running, activeVersion: active, total, done };
}

/** Start a rotation (new key) unless one was interrupted, in which case finish that one. */
export async function rotateKeys(deps: RotationDeps, actor: Actor, options: RotationOptions = {}): Promise<RotationProgress> {
  if (running) throw new RotationRunning();
  running = true;
  try {
    const interrupted = await KeyringKey.count({ where: { status: 'retiring' } });
    if (!interrupted) {
      await runWriteTransaction(deps.sequelize, async (tx) => {
        const from = deps.vault.keyring.activeVersion;
        const to = await deps.vault.keyring.addKey(tx);
        await appendAuditEvent(tx, actor, { action: 'keyring.rotation_started', targetType: 'keyring', targetId: String(to), before: { activeVersion: from }, after: { activeVersion: to } });
      }).catch(async (err) => {
        await deps.vault.keyring.reload(); // the in-memory key must not outlive a rolled-back row
        throw err;
      });
    }
    return await finishRotation(deps, actor, options);
  } finally {
    running = false;
  }
}

async function finishRotation(deps: RotationDeps, actor: Actor, options: RotationOptions): Promise<RotationProgress> {
  const batchSize = options.batchSize ?? 100;
  for (;;) {
    const moved = await runWriteTransaction(deps.sequelize, async (tx) => {
      await deps.vault.keyring.ensureCurrent(tx);
      const active = deps.vault.keyring.activeVersion;
      const rows = await Credential.findAll({ where: { keyVersion: { [Op.ne]: active } } /* NULL != x is not true: reference-only rows are skipped */, limit: batchSize, transaction: tx });
      for (const row of rows) {
        const resealed = deps.vault.resealCredential(row);
        // silent: rotation does not change what the credential is, so updatedAt stays.
        await Credential.update(resealed, { where: { id: row.id }, transaction: tx, silent: true });
        deps.vault.forget(row.id);
      }
      return rows.length;
    });
    if (options.onBatch) await options.onBatch(await rotationProgress(deps));
    if (moved < batchSize) break;
  }
  await runWriteTransaction(deps.sequelize, async (tx) => {
    const active = deps.vault.keyring.activeVersion;
    const retiring = await KeyringKey.findAll({ where: { status: 'retiring' }, transaction: tx });
    const stillUsed = await Credential.count({ where: { keyVersion: { [Op.ne]: active } } /* NULL != x is not true: reference-only rows are skipped */, transaction: tx });
    if (stillUsed || !retiring.length) return;
    const versions = retiring.map((k) => k.version);
    await deps.vault.keyring.retire(versions, tx);
    await appendAuditEvent(tx, actor, { action: 'keyring.rotation_completed', targetType: 'keyring', targetId: String(active), after: { activeVersion: active, retired: versions } });
  });
  return rotationProgress(deps);
}

/** At start: finish a rotation that a crash or stop interrupted. */
export async function resumeRotation(deps: RotationDeps, actor: Actor): Promise<RotationProgress | null> {
  const interrupted = await KeyringKey.count({ where: { status: 'retiring' } });
  return interrupted ? rotateKeys(deps, actor) : null;
}
