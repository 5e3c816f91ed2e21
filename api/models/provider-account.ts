// A provider account: one upstream (type + base URL), its slug name used in model names `account/model`.
import type { AccountLimits } from '../limits/limit-schema';
import { DataTypes, Model, type Sequelize, type InferAttributes, type InferCreationAttributes, type CreationOptional } from 'sequelize';

export class ProviderAccount extends Model<InferAttributes<ProviderAccount>, InferCreationAttributes<ProviderAccount>> {
  declare id: string;
  declare name: string;
  declare type: string;
  declare baseUrl: string | null;
  declare region: string | null;
  declare apiVersion: string | null;
  declare enabled: boolean;
  declare enabledModels: string[];
  /** Public model name -> the upstream's own name (an Azure deployment, a Bedrock model id). */
  declare modelAliases: CreationOptional<Record<string, string>>;
  /** Share of bare-model traffic this account gets among the accounts serving the model. */
  declare weight: CreationOptional<number>;
  declare timeoutMs: number | null;
  /** Rate limits on the traffic Keyhold sends this account (all callers together); null for none. */
  declare limits: CreationOptional<AccountLimits | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initProviderAccount(sequelize: Sequelize): void {
  ProviderAccount.init(
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      name: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      type: { type: DataTypes.STRING(32), allowNull: false },
      baseUrl: { type: DataTypes.STRING(2048), allowNull: true },
      region: { type: DataTypes.STRING(64), allowNull: true },
      apiVersion: { type: DataTypes.STRING(64), allowNull: true },
      enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      enabledModels: { type: DataTypes.JSON, allowNull: false, defaultValue: [] },
      modelAliases: { type: DataTypes.JSON, allowNull: false, defaultValue: {} },
      weight: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      timeoutMs: { type: DataTypes.INTEGER, allowNull: true },
      limits: { type: DataTypes.JSON, allowNull: true, defaultValue: null },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'provider_accounts', underscored: true },
  );
}
