// Registers every model on a Sequelize instance. Models hold data, never security logic.
import type { Sequelize } from 'sequelize';
import { initProviderAccount } from './provider-account';
import { initCredential } from './credential';
import { initKeyringKey } from './keyring-key';
import { initAuditEvent } from './audit-event';
import { initSetting } from './setting';
import { initApiKey } from './api-key';
import { initAccessRule } from './access-rule';
import { initUsageRecordRow } from './usage-record';

export { ProviderAccount } from './provider-account';
export { Credential } from './credential';
export { KeyringKey } from './keyring-key';
export { AuditEvent } from './audit-event';
export { Setting } from './setting';
export { ApiKey } from './api-key';
export { AccessRule } from './access-rule';
export { UsageRecordRow } from './usage-record';

export function initModels(sequelize: Sequelize): void {
  initProviderAccount(sequelize);
  initCredential(sequelize);
  initKeyringKey(sequelize);
  initAuditEvent(sequelize);
  initSetting(sequelize);
  initApiKey(sequelize);
  initAccessRule(sequelize);
  initUsageRecordRow(sequelize);
}
