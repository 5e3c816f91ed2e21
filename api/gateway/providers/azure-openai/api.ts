// Azure OpenAI's wire basics: the resource URL from the account, the api-key header and the
// api-version query every call carries. Deployment routing belongs to the chat endpoint, not here.
import type { ProviderApi } from '../types';
import { buildGetRequest, joinUpstreamUrl, resolveBaseUrl, revealSecretField, withHeaders } from '../upstream-request';
// A GA version; accounts override it with their own apiVersion.
import { DEFAULT_AZURE_API_VERSION as AZURE_DEFAULT_API_VERSION } from '../../../accounts/provider-types';

export { AZURE_DEFAULT_API_VERSION };

export const azureOpenAiApi: ProviderApi = {
  type: 'azure-openai',
  // Each resource has its own host (https://<resource>.openai.azure.com): no sensible default.
  defaultBaseUrl: null,
  listedModelsField: 'data',
  buildListModelsRequest: (account) =>
    buildGetRequest(
      joinUpstreamUrl(resolveBaseUrl(account, null), '/openai/models', {
        'api-version': account.apiVersion?.trim() || AZURE_DEFAULT_API_VERSION,
      }),
    ),
  applyUpstreamAuth: async (request, _account, credential) =>
    withHeaders(request, { 'api-key': revealSecretField(credential, 'api_key', 'azure-openai') }),
};
