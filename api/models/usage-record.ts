// One stored usage record (table usage_records, migration 0004). startedAt is Unix milliseconds;
// PostgreSQL hands BIGINT back as a string, so readers pass it through Number().
import { DataTypes, Model, type Sequelize, type InferAttributes, type InferCreationAttributes, type CreationOptional } from 'sequelize';

export class UsageRecordRow extends Model<InferAttributes<UsageRecordRow>, InferCreationAttributes<UsageRecordRow>> {
  declare id: CreationOptional<number>;
  declare recordId: string;
  declare requestId: string;
  declare startedAt: number;
  declare endpoint: string;
  declare principalKind: string;
  declare did: string;
  declare role: string;
  declare keyId: string | null;
  declare clientId: string | null;
  declare componentDid: string | null;
  declare model: string;
  declare accountId: string | null;
  declare account: string | null;
  declare upstreamModel: string | null;
  declare credentialId: string | null;
  declare status: number;
  declare stream: boolean;
  declare promptTokens: number;
  declare completionTokens: number;
  declare tokensEstimated: boolean;
  declare costUsd: number | null;
  declare latencyMs: number;
  declare ttfbMs: number | null;
  declare attempts: number;
  declare errorCode: string | null;
}

export function initUsageRecordRow(sequelize: Sequelize): void {
  UsageRecordRow.init(
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      recordId: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      requestId: { type: DataTypes.STRING(64), allowNull: false },
      startedAt: { type: DataTypes.BIGINT, allowNull: false },
      endpoint: { type: DataTypes.STRING(32), allowNull: false },
      principalKind: { type: DataTypes.STRING(16), allowNull: false },
      did: { type: DataTypes.STRING(128), allowNull: false },
      role: { type: DataTypes.STRING(32), allowNull: false },
      keyId: { type: DataTypes.STRING(32), allowNull: true },
      clientId: { type: DataTypes.STRING(128), allowNull: true },
      componentDid: { type: DataTypes.STRING(128), allowNull: true },
      model: { type: DataTypes.STRING(512), allowNull: false },
      accountId: { type: DataTypes.STRING(36), allowNull: true },
      account: { type: DataTypes.STRING(64), allowNull: true },
      upstreamModel: { type: DataTypes.STRING(512), allowNull: true },
      credentialId: { type: DataTypes.STRING(36), allowNull: true },
      status: { type: DataTypes.INTEGER, allowNull: false },
      stream: { type: DataTypes.BOOLEAN, allowNull: false },
      promptTokens: { type: DataTypes.INTEGER, allowNull: false },
      completionTokens: { type: DataTypes.INTEGER, allowNull: false },
      tokensEstimated: { type: DataTypes.BOOLEAN, allowNull: false },
      costUsd: { type: DataTypes.DOUBLE, allowNull: true },
      latencyMs: { type: DataTypes.DOUBLE, allowNull: false },
      ttfbMs: { type: DataTypes.DOUBLE, allowNull: true },
      attempts: { type: DataTypes.INTEGER, allowNull: false },
      errorCode: { type: DataTypes.STRING(64), allowNull: true },
    },
    { sequelize, tableName: 'usage_records', underscored: true, timestamps: false },
  );
}
