// Anthropic's wire basics: default base URL, x-api-key auth, the pinned API version and the
// list-models probe. Message translation lives beside it in its own files.
import type { ProviderApi } from '../types';
import { buildGetRequest, joinUpstreamUrl, resolveBaseUrl, revealSecretField, withHeaders } from '../upstream-request';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const ANTHROPIC_VERSION = '2023-06-01';

export const anthropicApi: ProviderApi = {
  type: 'anthropic',
  defaultBaseUrl: ANTHROPIC_DEFAULT_BASE_URL,
  listedModelsField: 'data',
  // limit=1000 (the maximum): still one call, and the model count is not cut at the default page of 20.
  buildListModelsRequest: (account) =>
    buildGetRequest(joinUpstreamUrl(resolveBaseUrl(account, ANTHROPIC_DEFAULT_BASE_URL), '/v1/models', { limit: '1000' }), {
      'anthropic-version': ANTHROPIC_VERSION,
    }),
  applyUpstreamAuth: async (request, _account, credential) =>
    withHeaders(request, { 'x-api-key': revealSecretField(credential, 'api_key', 'anthropic') }),
};
