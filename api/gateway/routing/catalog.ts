// The routing catalog: enabled accounts with their enabled credentials (secrets opened once, held as
// Secrets) and the model names each serves, all in memory. The gateway resolves every call against
// it without touching the database; reload() swaps in a fresh copy after any change.
import { ProviderAccount } from '../../models/provider-account';
import { Credential } from '../../models/credential';
import type { Vault } from '../../vault/vault';
import type { Logger } from '../../log';
import { isProviderType } from '../providers';
import type { ProviderType, UpstreamAccount, UpstreamCredential } from '../providers/types';
import type { AccountLimits } from '../../limits/limit-schema';

export interface CatalogCredential {
  id: string;
  accountId: string;
  name: string;
  weight: number;
  /** 'error' when a check or the gateway found it rejected; health decides whether it is tried. */
  status: string;
  lastError: string | null;
  upstream: UpstreamCredential;
}

export interface CatalogAccount {
  id: string;
  name: string;
  type: ProviderType;
  weight: number;
  upstream: UpstreamAccount;
  /** public model name -> upstream model name (enabled models map to themselves, aliases to their target). */
  models: ReadonlyMap<string, string>;
  /** "*" in enabledModels: `account/<anything>` is passed through as asked. */
  acceptsAnyModel: boolean;
  credentials: CatalogCredential[];
  /** Rate limits on all traffic to this account, or null. */
  limits: AccountLimits | null;
}

export interface CatalogSnapshot {
  accounts: ReadonlyMap<string, CatalogAccount>;
  /** bare public model name -> accounts serving it. */
  byModel: ReadonlyMap<string, CatalogAccount[]>;
  /** Every `account/model` the catalog serves, sorted (wildcards excluded: they name no model). */
  modelFqns: readonly string[];
}

function buildModelMap(enabledModels: readonly string[], aliases: Record<string, string>): Map<string, string> {
  const models = new Map<string, string>();
  for (const name of enabledModels) if (name !== '*') models.set(name, name);
  for (const [alias, target] of Object.entries(aliases)) models.set(alias, target);
  return models;
}

export class GatewayCatalog {
  #snapshot: CatalogSnapshot = { accounts: new Map(), byModel: new Map(), modelFqns: [] };

  constructor(
    private readonly vault: Vault,
    private readonly log: Logger,
  ) {}

  get snapshot(): CatalogSnapshot {
    return this.#snapshot;
  }

  async reload(): Promise<void> {
    const [accountRows, credentialRows] = await Promise.all([
      ProviderAccount.findAll({ where: { enabled: true } }),
      Credential.findAll({ where: { enabled: true }, order: [['name', 'ASC']] }),
    ]);
    await this.vault.keyring.ensureVersions(credentialRows.map((row) => row.keyVersion));
    const accounts = new Map<string, CatalogAccount>();
    for (const row of accountRows) {
      if (!isProviderType(row.type)) continue;
      accounts.set(row.name, {
        id: row.id,
        name: row.name,
        type: row.type,
        weight: row.weight ?? 1,
        upstream: { type: row.type, baseUrl: row.baseUrl, region: row.region, apiVersion: row.apiVersion, timeoutMs: row.timeoutMs ?? undefined },
        models: buildModelMap(row.enabledModels ?? [], row.modelAliases ?? {}),
        acceptsAnyModel: (row.enabledModels ?? []).includes('*'),
        credentials: [],
        limits: row.limits ?? null,
      });
    }
    const byId = new Map([...accounts.values()].map((account) => [account.id, account]));
    for (const row of credentialRows) {
      const account = byId.get(row.accountId);
      if (!account) continue;
      try {
        account.credentials.push({
          id: row.id,
          accountId: row.accountId,
          name: row.name,
          weight: row.weight,
          status: row.status,
          lastError: row.lastError,
          upstream: { type: row.type, publicFields: row.publicFields ?? {}, secrets: this.vault.openCredential(row) },
        });
      } catch (err) {
        // One unreadable credential (unset env reference, damaged value) must not take the others down.
        this.log.error({ credentialId: row.id, account: account.name, code: (err as { code?: string }).code }, 'credential cannot be opened; left out of routing');
      }
    }
    const byModel = new Map<string, CatalogAccount[]>();
    const fqns: string[] = [];
    for (const account of accounts.values()) {
      for (const model of account.models.keys()) {
        const list = byModel.get(model) ?? [];
        list.push(account);
        byModel.set(model, list);
        fqns.push(`${account.name}/${model}`);
      }
    }
    this.#snapshot = { accounts, byModel, modelFqns: fqns.sort() };
  }
}
