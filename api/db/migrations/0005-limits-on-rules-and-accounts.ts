// 0005: rate limits beyond keys and roles: on an allow rule (for the calls it lets through) and on a
// provider account (the traffic Keyhold sends it, all callers together). JSON, null for none.
import { DataTypes, type QueryInterface } from 'sequelize';
import { addColumnIfMissing, type Migration } from './helpers';

export const migration0005: Migration = {
  name: '0005-limits-on-rules-and-accounts',
  async up(qi: QueryInterface) {
    await addColumnIfMissing(qi, 'access_rules', 'limits', { type: DataTypes.JSON, allowNull: true, defaultValue: null });
    await addColumnIfMissing(qi, 'provider_accounts', 'limits', { type: DataTypes.JSON, allowNull: true, defaultValue: null });
  },
};
