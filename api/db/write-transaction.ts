// Every write that must be atomic (a change and its audit event, a rotation batch) runs here, one
// at a time across every process on the database, so the audit chain is appended in order:
// - in this process, a queue: one transaction at a time;
// - across processes on SQLite, BEGIN IMMEDIATE: the file's write lock, taken before the first read;
// - across replicas on PostgreSQL, a transaction-level advisory lock, taken first: without it, two
//   replicas read the same last audit event and both write the next seq (one fails on the key).
import { Transaction, type Sequelize } from 'sequelize';

/** The advisory lock every write transaction takes on PostgreSQL: "kh-write" in ASCII, read as a bigint. */
const WRITE_LOCK_KEY = '7739485950680069221';

let queue: Promise<unknown> = Promise.resolve();

export function runWriteTransaction<T>(sequelize: Sequelize, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const run = async (): Promise<T> => {
    const dialect = sequelize.getDialect();
    return sequelize.transaction(dialect === 'sqlite' ? { type: Transaction.TYPES.IMMEDIATE } : {}, async (tx) => {
      // SQLite opens a connection per transaction; the busy timeout is per connection.
      if (dialect === 'sqlite') await sequelize.query('PRAGMA busy_timeout = 5000', { transaction: tx });
      // Released by COMMIT or ROLLBACK; a replica that dies mid-transaction releases it with its connection.
      if (dialect === 'postgres') await sequelize.query(`SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY})`, { transaction: tx });
      return work(tx);
    });
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}
