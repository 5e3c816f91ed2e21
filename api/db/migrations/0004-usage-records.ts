// 0004: usage records, one per model call, written from the usage journal in batches.
// started_at is Unix milliseconds (BIGINT): bucketing by hour or day is then plain integer
// arithmetic, the same SQL on SQLite and PostgreSQL.
import { DataTypes, type QueryInterface } from 'sequelize';
import { createTableIfMissing, type Migration } from './helpers';

export const migration0004: Migration = {
  name: '0004-usage-records',
  async up(qi: QueryInterface) {
    await createTableIfMissing(qi, 'usage_records', {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      // The journal's id for the record: what makes a replay idempotent. Not the request id, which
      // a client may choose (x-request-id), so two calls can share one.
      record_id: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      request_id: { type: DataTypes.STRING(64), allowNull: false },
      started_at: { type: DataTypes.BIGINT, allowNull: false },
      endpoint: { type: DataTypes.STRING(32), allowNull: false },
      principal_kind: { type: DataTypes.STRING(16), allowNull: false },
      did: { type: DataTypes.STRING(128), allowNull: false },
      role: { type: DataTypes.STRING(32), allowNull: false },
      key_id: { type: DataTypes.STRING(32), allowNull: true },
      client_id: { type: DataTypes.STRING(128), allowNull: true },
      component_did: { type: DataTypes.STRING(128), allowNull: true },
      model: { type: DataTypes.STRING(512), allowNull: false },
      account_id: { type: DataTypes.STRING(36), allowNull: true },
      account: { type: DataTypes.STRING(64), allowNull: true },
      upstream_model: { type: DataTypes.STRING(512), allowNull: true },
      credential_id: { type: DataTypes.STRING(36), allowNull: true },
      status: { type: DataTypes.INTEGER, allowNull: false },
      stream: { type: DataTypes.BOOLEAN, allowNull: false },
      prompt_tokens: { type: DataTypes.INTEGER, allowNull: false },
      completion_tokens: { type: DataTypes.INTEGER, allowNull: false },
      tokens_estimated: { type: DataTypes.BOOLEAN, allowNull: false },
      cost_usd: { type: DataTypes.DOUBLE, allowNull: true },
      latency_ms: { type: DataTypes.DOUBLE, allowNull: false },
      ttfb_ms: { type: DataTypes.DOUBLE, allowNull: true },
      attempts: { type: DataTypes.INTEGER, allowNull: false },
      error_code: { type: DataTypes.STRING(64), allowNull: true },
    }, [
      { fields: ['request_id'], name: 'usage_records_request' },
      { fields: ['started_at'], name: 'usage_records_started' },
      { fields: ['did', 'started_at'], name: 'usage_records_did_started' },
      { fields: ['key_id', 'started_at'], name: 'usage_records_key_started' },
      { fields: ['model', 'started_at'], name: 'usage_records_model_started' },
      { fields: ['account_id', 'started_at'], name: 'usage_records_account_started' },
    ]);
  },
};
