// A credential of a provider account. Secret fields are stored only as vault ciphertext (or a
// secret reference); public fields such as access_key_id stay plaintext for identification.
import { DataTypes, Model, type Sequelize, type InferAttributes, type InferCreationAttributes, type CreationOptional } from 'sequelize';

export type CredentialType = 'api_key' | 'access_key_pair' | 'custom';
export type CredentialStatus = 'active' | 'disabled' | 'error';

export class Credential extends Model<InferAttributes<Credential>, InferCreationAttributes<Credential>> {
  declare id: string;
  declare accountId: string;
  declare name: string;
  declare type: CredentialType;
  declare publicFields: Record<string, string>;
  /** field name -> sealed ciphertext (vault/cipher.ts format). */
  declare secretFields: Record<string, string>;
  /** field name -> `env:NAME` or `enc:<ciphertext>`. */
  declare secretRefs: Record<string, string>;
  /** Data-key version that sealed secretFields; null when the credential holds only references. */
  declare keyVersion: number | null;
  declare weight: number;
  declare enabled: boolean;
  declare status: CredentialStatus;
  declare lastError: string | null;
  declare lastTestedAt: Date | null;
  declare lastUsedAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initCredential(sequelize: Sequelize): void {
  Credential.init(
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      accountId: { type: DataTypes.STRING(36), allowNull: false },
      name: { type: DataTypes.STRING(64), allowNull: false },
      type: { type: DataTypes.STRING(32), allowNull: false },
      publicFields: { type: DataTypes.JSON, allowNull: false, defaultValue: {} },
      secretFields: { type: DataTypes.JSON, allowNull: false, defaultValue: {} },
      secretRefs: { type: DataTypes.JSON, allowNull: false, defaultValue: {} },
      keyVersion: { type: DataTypes.INTEGER, allowNull: true },
      weight: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'active' },
      lastError: { type: DataTypes.STRING(512), allowNull: true },
      lastTestedAt: { type: DataTypes.DATE, allowNull: true },
      lastUsedAt: { type: DataTypes.DATE, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'credentials', underscored: true },
  );
}
