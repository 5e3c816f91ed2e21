// The Sequelize instance: embedded SQLite (WAL) under the data directory, or PostgreSQL when
// DATABASE_URL is set. Knows nothing of models; see models/ and migrate.ts.
import { Sequelize } from 'sequelize';
import type { Config } from '../config';

export async function connectDatabase(config: Pick<Config, 'databaseUrl' | 'sqlitePath'>): Promise<Sequelize> {
  const common = {
    logging: false as const,
    // Two writers on one SQLite file answer SQLITE_BUSY; retrying is the SQLite-recommended answer.
    retry: { match: [/SQLITE_BUSY/], max: 20 },
  };
  const sequelize = config.databaseUrl
    ? new Sequelize(config.databaseUrl, { ...common, dialect: 'postgres' })
    : new Sequelize({ ...common, dialect: 'sqlite', storage: config.sqlitePath });
  await sequelize.authenticate();
  if (sequelize.getDialect() === 'sqlite') {
    await sequelize.query('PRAGMA journal_mode = WAL');
    await sequelize.query('PRAGMA synchronous = NORMAL');
    await sequelize.query('PRAGMA busy_timeout = 5000');
  }
  return sequelize;
}
