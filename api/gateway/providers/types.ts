// The contract every upstream provider module meets, and the account/credential shapes it reads.
// Types only: building and sending requests live in the provider folders and in gateway/.
import type { Secret } from '../../vault/secret';

import type { ProviderType } from '../../accounts/provider-types';

// One list of wire formats: accounts own it, the gateway's adapters are keyed by it.
export { PROVIDER_TYPES, type ProviderType } from '../../accounts/provider-types';

export interface UpstreamAccount {
  type: ProviderType;
  baseUrl: string | null;
  region: string | null;
  apiVersion: string | null;
  timeoutMs?: number;
}

export interface UpstreamCredential {
  type: 'api_key' | 'access_key_pair' | 'custom';
  publicFields: Record<string, string>;
  secrets: Record<string, Secret>;
}

export type UpstreamMethod = 'GET' | 'POST' | 'DELETE';

/** A fully built upstream call. Header names are lower-case so auth can add or replace them safely. */
export interface UpstreamRequest {
  method: UpstreamMethod;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ProviderApi {
  readonly type: ProviderType;
  /** null when the account must say where the upstream is (Azure, OpenAI-compatible). */
  readonly defaultBaseUrl: string | null;
  /** The cheapest authenticated call that proves a credential works. Built without auth. */
  buildListModelsRequest(account: UpstreamAccount): UpstreamRequest;
  /** The top-level array a successful list-models answer keeps its models in. */
  readonly listedModelsField: 'data' | 'models' | 'modelSummaries';
  /**
   * Applied last, to the finished request: it signs exactly what will be sent (SigV4 covers
   * the URL and body) and nothing earlier in the pipeline ever holds the plaintext.
   */
  applyUpstreamAuth(
    request: UpstreamRequest,
    account: UpstreamAccount,
    credential: UpstreamCredential,
  ): Promise<UpstreamRequest>;
}
