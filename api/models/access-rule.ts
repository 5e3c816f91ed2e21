// An authorization rule: which subjects (users, roles, components, keys) may or may not use which
// models (account/model patterns). Evaluation lives in access/, not here.
import { DataTypes, Model, type Sequelize, type InferAttributes, type InferCreationAttributes, type CreationOptional } from 'sequelize';

import type { RuleLimits } from '../access/rule-schema';

export type RuleEffect = 'allow' | 'deny';

export class AccessRule extends Model<InferAttributes<AccessRule>, InferCreationAttributes<AccessRule>> {
  declare id: string;
  declare name: string | null;
  /** Order in the rules file; YAML export keeps it so export -> import -> export is identical. */
  declare position: number;
  declare models: string[];
  declare users: string[];
  declare roles: string[];
  declare components: string[];
  declare keys: string[];
  declare effect: RuleEffect;
  declare priority: number;
  declare enabled: boolean;
  /** Rate limits on the calls this (allow) rule lets through; null for none. */
  declare limits: CreationOptional<RuleLimits | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initAccessRule(sequelize: Sequelize): void {
  AccessRule.init(
    {
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
      limits: { type: DataTypes.JSON, allowNull: true, defaultValue: null },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'access_rules', underscored: true },
  );
}
