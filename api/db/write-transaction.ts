// Every write that must be atomic (a change and its audit event, a rotation batch) runs here:
// one transaction at a time per process, so the audit chain is appended in order and SQLite
// never sees two writers racing for the lock.
import { Transaction, type Sequelize } from 'sequelize';

let queue: Promise<unknown> = Promise.resolve();

export function runWriteTransaction<T>(sequelize: Sequelize, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const run = async (): Promise<T> => {
    const sqlite = sequelize.getDialect() === 'sqlite';
    return sequelize.transaction(sqlite ? { type: Transaction.TYPES.IMMEDIATE } : {}, async (tx) => {
      // SQLite opens a connection per transaction; the busy timeout is per connection.
      if (sqlite) await sequelize.query('PRAGMA busy_timeout = 5000', { transaction: tx });
      return work(tx);
    });
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}
