// Any server that speaks OpenAI's API (vLLM, LM Studio, OpenRouter...): OpenAI's base with no default
// URL, because only the account knows where it runs. Nothing here may differ from openai/.
import { createOpenAiApi } from '../openai/api';

export const openAiCompatibleApi = createOpenAiApi('openai-compatible', null);
