// Blocklet preStart (and `npm run migrate`): apply pending database migrations, then exit.
import { prepareEnvironment } from '../api/runtime-env';
import { connectDatabase } from '../api/db/connect';
import { runMigrations } from '../api/db/migrate';

async function migrate(): Promise<void> {
  const { config } = prepareEnvironment();
  const sequelize = await connectDatabase(config);
  try {
    const applied = await runMigrations(sequelize);
    process.stdout.write(applied.length ? `Applied migrations: ${applied.join(', ')}\n` : 'Database is up to date.\n');
  } finally {
    await sequelize.close();
  }
}

migrate().catch((err: unknown) => {
  process.stderr.write(`Migration failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
