// 0001: accounts, credentials, keyring, audit events, settings.
import { DataTypes, type QueryInterface } from 'sequelize';
import { createTableIfMissing, type Migration } from './helpers';

const now = { type: DataTypes.DATE, allowNull: false };

export const migration0001: Migration = {
  name: '0001-initial',
  async up(qi: QueryInterface) {
    await createTableIfMissing(qi, 'provider_accounts', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      name: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      type: { type: DataTypes.STRING(32), allowNull: false },
      base_url: { type: DataTypes.STRING(2048), allowNull: true },
      region: { type: DataTypes.STRING(64), allowNull: true },
      api_version: { type: DataTypes.STRING(64), allowNull: true },
      enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      enabled_models: { type: DataTypes.JSON, allowNull: false },
      timeout_ms: { type: DataTypes.INTEGER, allowNull: true },
      created_at: now,
      updated_at: now,
    });
    await createTableIfMissing(qi, 'credentials', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      account_id: {
        type: DataTypes.STRING(36),
        allowNull: false,
        references: { model: 'provider_accounts', key: 'id' },
        onDelete: 'CASCADE',
      },
      name: { type: DataTypes.STRING(64), allowNull: false },
      type: { type: DataTypes.STRING(32), allowNull: false },
      public_fields: { type: DataTypes.JSON, allowNull: false },
      secret_fields: { type: DataTypes.JSON, allowNull: false },
      secret_refs: { type: DataTypes.JSON, allowNull: false },
      key_version: { type: DataTypes.INTEGER, allowNull: true },
      weight: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'active' },
      last_error: { type: DataTypes.STRING(512), allowNull: true },
      last_tested_at: { type: DataTypes.DATE, allowNull: true },
      last_used_at: { type: DataTypes.DATE, allowNull: true },
      created_at: now,
      updated_at: now,
    }, [
      { fields: ['account_id', 'name'], unique: true, name: 'credentials_account_name' },
      { fields: ['key_version'], name: 'credentials_key_version' },
    ]);
    await createTableIfMissing(qi, 'keyring', {
      version: { type: DataTypes.INTEGER, primaryKey: true },
      wrapped_key: { type: DataTypes.TEXT, allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      retired_at: { type: DataTypes.DATE, allowNull: true },
      created_at: now,
      updated_at: now,
    });
    await createTableIfMissing(qi, 'audit_events', {
      seq: { type: DataTypes.INTEGER, primaryKey: true },
      time: { type: DataTypes.DATE, allowNull: false },
      actor_did: { type: DataTypes.STRING(128), allowNull: false },
      actor_role: { type: DataTypes.STRING(32), allowNull: false },
      actor_method: { type: DataTypes.STRING(32), allowNull: false },
      action: { type: DataTypes.STRING(64), allowNull: false },
      target_type: { type: DataTypes.STRING(32), allowNull: false },
      target_id: { type: DataTypes.STRING(128), allowNull: true },
      before: { type: DataTypes.TEXT, allowNull: true },
      after: { type: DataTypes.TEXT, allowNull: true },
      ip: { type: DataTypes.STRING(64), allowNull: true },
      request_id: { type: DataTypes.STRING(64), allowNull: true },
      prev_hash: { type: DataTypes.STRING(64), allowNull: false },
      hash: { type: DataTypes.STRING(64), allowNull: false },
    }, [
      { fields: ['action'], name: 'audit_events_action' },
      { fields: ['target_type', 'target_id'], name: 'audit_events_target' },
      { fields: ['actor_did'], name: 'audit_events_actor' },
    ]);
    await createTableIfMissing(qi, 'settings', {
      key: { type: DataTypes.STRING(128), primaryKey: true },
      value: { type: DataTypes.JSON, allowNull: true },
      created_at: now,
      updated_at: now,
    });
  },
};
