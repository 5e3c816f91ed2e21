// A data-encryption key version, stored only wrapped by the app's root key (SDK security module).
import { DataTypes, Model, type Sequelize, type InferAttributes, type InferCreationAttributes, type CreationOptional } from 'sequelize';

/** active: seals new values; retiring: still opens values a rotation has not reached; retired: used by no row. */
export type KeyringKeyStatus = 'active' | 'retiring' | 'retired';

export class KeyringKey extends Model<InferAttributes<KeyringKey>, InferCreationAttributes<KeyringKey>> {
  declare version: number;
  declare wrappedKey: string;
  declare status: KeyringKeyStatus;
  declare retiredAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initKeyringKey(sequelize: Sequelize): void {
  KeyringKey.init(
    {
      version: { type: DataTypes.INTEGER, primaryKey: true },
      wrappedKey: { type: DataTypes.TEXT, allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      retiredAt: { type: DataTypes.DATE, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'keyring', underscored: true },
  );
}
