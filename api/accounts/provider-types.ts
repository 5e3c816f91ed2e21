// The upstream wire formats an account can have. The gateway's adapters are keyed by these ids.
export const PROVIDER_TYPES = [
  'openai',
  'azure-openai',
  'anthropic',
  'google-gemini',
  'aws-bedrock',
  'ollama',
  'openai-compatible',
] as const;

export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** Types that have no usable default endpoint. */
export const NEEDS_BASE_URL: ReadonlySet<ProviderType> = new Set(['azure-openai', 'openai-compatible']);
export const NEEDS_REGION: ReadonlySet<ProviderType> = new Set(['aws-bedrock']);
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';
