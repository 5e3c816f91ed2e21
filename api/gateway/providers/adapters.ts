// The adapter registry: account type -> translation of chat, stream and embeddings. Like ./index.ts
// for wire basics, one line per provider and nothing else in the gateway switches on the type.
import type { ProviderAdapter } from './adapter';
import type { ProviderType } from './types';
import { anthropicAdapter } from './anthropic';
import { awsBedrockAdapter } from './aws-bedrock';
import { azureOpenAiAdapter } from './azure-openai';
import { googleGeminiAdapter } from './google-gemini';
import { ollamaAdapter } from './ollama';
import { openAiAdapter } from './openai';
import { openAiCompatibleAdapter } from './openai-compatible';

const ADAPTERS: Readonly<Record<ProviderType, ProviderAdapter>> = Object.freeze({
  openai: openAiAdapter,
  'azure-openai': azureOpenAiAdapter,
  anthropic: anthropicAdapter,
  'google-gemini': googleGeminiAdapter,
  'aws-bedrock': awsBedrockAdapter,
  ollama: ollamaAdapter,
  'openai-compatible': openAiCompatibleAdapter,
});

export function getAdapter(type: ProviderType): ProviderAdapter {
  return ADAPTERS[type];
}
