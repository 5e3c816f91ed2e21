// One audit event, a link of the hash chain. Before/after are stored as canonical JSON text so the
// hash can be recomputed byte for byte; they hold masked values only.
import { DataTypes, Model, type Sequelize, type InferAttributes, type InferCreationAttributes, type CreationOptional } from 'sequelize';

export class AuditEvent extends Model<InferAttributes<AuditEvent>, InferCreationAttributes<AuditEvent>> {
  declare seq: CreationOptional<number>;
  declare time: Date;
  declare actorDid: string;
  declare actorRole: string;
  declare actorMethod: string;
  declare action: string;
  declare targetType: string;
  declare targetId: string | null;
  declare before: string | null;
  declare after: string | null;
  declare ip: string | null;
  declare requestId: string | null;
  declare prevHash: string;
  declare hash: string;
}

export function initAuditEvent(sequelize: Sequelize): void {
  AuditEvent.init(
    {
      seq: { type: DataTypes.INTEGER, primaryKey: true },
      time: { type: DataTypes.DATE, allowNull: false },
      actorDid: { type: DataTypes.STRING(128), allowNull: false },
      actorRole: { type: DataTypes.STRING(32), allowNull: false },
      actorMethod: { type: DataTypes.STRING(32), allowNull: false },
      action: { type: DataTypes.STRING(64), allowNull: false },
      targetType: { type: DataTypes.STRING(32), allowNull: false },
      targetId: { type: DataTypes.STRING(128), allowNull: true },
      before: { type: DataTypes.TEXT, allowNull: true },
      after: { type: DataTypes.TEXT, allowNull: true },
      ip: { type: DataTypes.STRING(64), allowNull: true },
      requestId: { type: DataTypes.STRING(64), allowNull: true },
      prevHash: { type: DataTypes.STRING(64), allowNull: false },
      hash: { type: DataTypes.STRING(64), allowNull: false },
    },
    { sequelize, tableName: 'audit_events', underscored: true, timestamps: false },
  );
}
