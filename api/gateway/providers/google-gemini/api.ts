// Google Gemini's (Generative Language API) wire basics: default base URL, key auth and the
// list-models probe. Vertex AI's OAuth flavour is a different provider and is not handled here.
import type { ProviderApi } from '../types';
import { buildGetRequest, joinUpstreamUrl, resolveBaseUrl, revealSecretField, withHeaders } from '../upstream-request';

export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

export const googleGeminiApi: ProviderApi = {
  type: 'google-gemini',
  defaultBaseUrl: GEMINI_DEFAULT_BASE_URL,
  listedModelsField: 'models',
  // pageSize=1000 (the maximum) so the count is not cut at the default page of 50.
  buildListModelsRequest: (account) =>
    buildGetRequest(joinUpstreamUrl(resolveBaseUrl(account, GEMINI_DEFAULT_BASE_URL), '/v1beta/models', { pageSize: '1000' })),
  // The key goes in a header and never in ?key=: URLs are written to access logs, proxies and
  // error messages, headers are not.
  applyUpstreamAuth: async (request, _account, credential) =>
    withHeaders(request, { 'x-goog-api-key': revealSecretField(credential, 'api_key', 'google-gemini') }),
};
