import { startTestApp, type TestApp } from '@tests/fixtures/test-app';
import { migration0006 } from '@api/db/migrations/0006-usage-records-without-request-index';

const indexNames = async (app: TestApp) =>
  ((await app.ctx.sequelize.getQueryInterface().showIndex('usage_records')) as Array<{ name: string }>).map((index) => index.name).sort();

describe('migrations', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('leave usage_records without the request_id index, keeping the indexes the usage queries and budgets read', async () => {
    app = await startTestApp({ logLevel: 'silent' });
    const names = await indexNames(app);
    expect(names).not.toContain('usage_records_request');
    expect(names).toEqual(expect.arrayContaining([
      'usage_records_started', 'usage_records_did_started', 'usage_records_key_started', 'usage_records_model_started', 'usage_records_account_started',
    ]));
  });

  it('0006 can run again on a database it already changed', async () => {
    app = await startTestApp({ logLevel: 'silent' });
    const before = await indexNames(app);
    await migration0006.up(app.ctx.sequelize.getQueryInterface());
    expect(await indexNames(app)).toEqual(before);
  });
});
