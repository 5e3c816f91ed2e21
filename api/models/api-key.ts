// A Keyhold API key: public id and the HMAC of the full key (never the key, never a bare hash),
// its owner, scopes, model allow-list, limits, expiry and revocation.
import { DataTypes, Model, type Sequelize, type InferAttributes, type InferCreationAttributes, type CreationOptional } from 'sequelize';

export type KeyScope = 'read' | 'write' | 'admin';

export interface KeyBudget {
  usd?: number;
  tokens?: number;
  period: 'day' | 'month' | 'total';
}

export class ApiKey extends Model<InferAttributes<ApiKey>, InferCreationAttributes<ApiKey>> {
  declare id: string;
  declare hash: string;
  /** The hash of the secret before the last rotation, accepted until prevHashExpiresAt. */
  declare prevHash: string | null;
  declare prevHashExpiresAt: Date | null;
  declare ownerDid: string;
  declare ownerRole: string;
  declare name: string;
  declare clientId: string | null;
  declare scopes: KeyScope[];
  declare models: string[];
  declare rpm: number | null;
  declare tpm: number | null;
  declare budget: KeyBudget | null;
  declare expiresAt: Date | null;
  declare revokedAt: Date | null;
  declare lastUsedAt: Date | null;
  declare lastUsedIp: string | null;
  declare createdBy: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initApiKey(sequelize: Sequelize): void {
  ApiKey.init(
    {
      id: { type: DataTypes.STRING(32), primaryKey: true },
      hash: { type: DataTypes.STRING(64), allowNull: false },
      prevHash: { type: DataTypes.STRING(64), allowNull: true },
      prevHashExpiresAt: { type: DataTypes.DATE, allowNull: true },
      ownerDid: { type: DataTypes.STRING(128), allowNull: false },
      ownerRole: { type: DataTypes.STRING(32), allowNull: false },
      name: { type: DataTypes.STRING(128), allowNull: false },
      clientId: { type: DataTypes.STRING(128), allowNull: true },
      scopes: { type: DataTypes.JSON, allowNull: false },
      models: { type: DataTypes.JSON, allowNull: false },
      rpm: { type: DataTypes.INTEGER, allowNull: true },
      tpm: { type: DataTypes.INTEGER, allowNull: true },
      budget: { type: DataTypes.JSON, allowNull: true },
      expiresAt: { type: DataTypes.DATE, allowNull: true },
      revokedAt: { type: DataTypes.DATE, allowNull: true },
      lastUsedAt: { type: DataTypes.DATE, allowNull: true },
      lastUsedIp: { type: DataTypes.STRING(64), allowNull: true },
      createdBy: { type: DataTypes.STRING(128), allowNull: false },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'api_keys', underscored: true },
  );
}
