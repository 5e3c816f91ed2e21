// openai-compatible speaks OpenAI's wire exactly; only the base URL (always the account's) differs.
import { createOpenAiAdapter } from '../openai';

export const openAiCompatibleAdapter = createOpenAiAdapter(null);
