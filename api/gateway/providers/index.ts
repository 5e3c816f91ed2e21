// The provider registry: account type -> provider module. Adding a provider means one folder and
// one line here; nothing else in the gateway switches on the type.
import { anthropicApi } from './anthropic/api';
import { awsBedrockApi } from './aws-bedrock/api';
import { azureOpenAiApi } from './azure-openai/api';
import { googleGeminiApi } from './google-gemini/api';
import { ollamaApi } from './ollama/api';
import { openAiApi } from './openai/api';
import { openAiCompatibleApi } from './openai-compatible/api';
import { PROVIDER_TYPES, type ProviderApi, type ProviderType } from './types';
import { ProviderConfigInvalid } from './upstream-request';

const PROVIDERS: Readonly<Record<ProviderType, ProviderApi>> = Object.freeze({
  openai: openAiApi,
  'azure-openai': azureOpenAiApi,
  anthropic: anthropicApi,
  'google-gemini': googleGeminiApi,
  'aws-bedrock': awsBedrockApi,
  ollama: ollamaApi,
  'openai-compatible': openAiCompatibleApi,
});

export function isProviderType(value: unknown): value is ProviderType {
  return typeof value === 'string' && (PROVIDER_TYPES as readonly string[]).includes(value);
}

/** The module for a type; the type usually comes from the database, so it is checked, not trusted. */
export function getProviderApi(type: string): ProviderApi {
  if (!isProviderType(type)) throw new ProviderConfigInvalid('unknown provider type');
  return PROVIDERS[type];
}
