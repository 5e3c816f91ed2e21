// 0002: Keyhold API keys (HMAC of the secret only) and authorization rules.
import { DataTypes, type QueryInterface } from 'sequelize';
import { createTableIfMissing, type Migration } from './helpers';

const now = { type: DataTypes.DATE, allowNull: false };

export const migration0002: Migration = {
  name: '0002-keys-and-rules',
  async up(qi: QueryInterface) {
    await createTableIfMissing(qi, 'api_keys', {
      id: { type: DataTypes.STRING(32), primaryKey: true },
      hash: { type: DataTypes.STRING(64), allowNull: false },
      prev_hash: { type: DataTypes.STRING(64), allowNull: true },
      prev_hash_expires_at: { type: DataTypes.DATE, allowNull: true },
      owner_did: { type: DataTypes.STRING(128), allowNull: false },
      owner_role: { type: DataTypes.STRING(32), allowNull: false },
      name: { type: DataTypes.STRING(128), allowNull: false },
      client_id: { type: DataTypes.STRING(128), allowNull: true },
      scopes: { type: DataTypes.JSON, allowNull: false },
      models: { type: DataTypes.JSON, allowNull: false },
      rpm: { type: DataTypes.INTEGER, allowNull: true },
      tpm: { type: DataTypes.INTEGER, allowNull: true },
      budget: { type: DataTypes.JSON, allowNull: true },
      expires_at: { type: DataTypes.DATE, allowNull: true },
      revoked_at: { type: DataTypes.DATE, allowNull: true },
      last_used_at: { type: DataTypes.DATE, allowNull: true },
      last_used_ip: { type: DataTypes.STRING(64), allowNull: true },
      created_by: { type: DataTypes.STRING(128), allowNull: false },
      created_at: now,
      updated_at: now,
    }, [
      { fields: ['owner_did'], name: 'api_keys_owner' },
      { fields: ['updated_at'], name: 'api_keys_updated' },
    ]);
    await createTableIfMissing(qi, 'access_rules', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      name: { type: DataTypes.STRING(128), allowNull: true },
      position: { type: DataTypes.INTEGER, allowNull: false },
      models: { type: DataTypes.JSON, allowNull: false },
      users: { type: DataTypes.JSON, allowNull: false },
      roles: { type: DataTypes.JSON, allowNull: false },
      components: { type: DataTypes.JSON, allowNull: false },
      keys: { type: DataTypes.JSON, allowNull: false },
      effect: { type: DataTypes.STRING(8), allowNull: false },
      priority: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      created_at: now,
      updated_at: now,
    }, [{ fields: ['position'], name: 'access_rules_position' }]);
  },
};
