// OpenAI's wire basics: default base URL, Bearer auth and the list-models probe. The base for every
// OpenAI-speaking upstream (openai-compatible uses createOpenAiApi), so they cannot drift apart.
import type { ProviderApi, ProviderType, UpstreamCredential, UpstreamRequest } from '../types';
import { buildGetRequest, joinUpstreamUrl, resolveBaseUrl, revealSecretField, withHeaders } from '../upstream-request';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export async function applyBearerAuth(
  request: UpstreamRequest,
  credential: UpstreamCredential,
  type: ProviderType,
): Promise<UpstreamRequest> {
  return withHeaders(request, { authorization: `Bearer ${revealSecretField(credential, 'api_key', type)}` });
}

/** An OpenAI-shaped provider; base URLs here already include the version segment (".../v1"). */
export function createOpenAiApi(type: ProviderType, defaultBaseUrl: string | null): ProviderApi {
  return {
    type,
    defaultBaseUrl,
    listedModelsField: 'data',
    buildListModelsRequest: (account) => buildGetRequest(joinUpstreamUrl(resolveBaseUrl(account, defaultBaseUrl), '/models')),
    applyUpstreamAuth: (request, _account, credential) => applyBearerAuth(request, credential, type),
  };
}

export const openAiApi = createOpenAiApi('openai', OPENAI_DEFAULT_BASE_URL);
