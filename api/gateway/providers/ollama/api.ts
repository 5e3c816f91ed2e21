// Ollama's wire basics: local default URL, optional Bearer auth (for an Ollama behind a proxy)
// and the list-models probe (/api/tags). Its OpenAI-compatible /v1 routes are not used here.
import type { ProviderApi } from '../types';
import { buildGetRequest, findSecretField, joinUpstreamUrl, resolveBaseUrl, withHeaders } from '../upstream-request';

export const OLLAMA_DEFAULT_BASE_URL = 'http://127.0.0.1:11434';

export const ollamaApi: ProviderApi = {
  type: 'ollama',
  defaultBaseUrl: OLLAMA_DEFAULT_BASE_URL,
  listedModelsField: 'models',
  buildListModelsRequest: (account) => buildGetRequest(joinUpstreamUrl(resolveBaseUrl(account, OLLAMA_DEFAULT_BASE_URL), '/api/tags')),
  applyUpstreamAuth: async (request, _account, credential) => {
    const apiKey = findSecretField(credential, 'api_key');
    return apiKey === null ? request : withHeaders(request, { authorization: `Bearer ${apiKey}` });
  },
};
