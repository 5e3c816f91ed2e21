// 0003: what the gateway needs to route by account: a weight (bare model names are spread across
// accounts by it) and model aliases (a public name -> the upstream's own name, e.g. an Azure deployment).
import { DataTypes, type QueryInterface } from 'sequelize';
import { addColumnIfMissing, type Migration } from './helpers';

export const migration0003: Migration = {
  name: '0003-account-routing',
  async up(qi: QueryInterface) {
    await addColumnIfMissing(qi, 'provider_accounts', 'weight', { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 });
    await addColumnIfMissing(qi, 'provider_accounts', 'model_aliases', { type: DataTypes.JSON, allowNull: false, defaultValue: {} });
  },
};
