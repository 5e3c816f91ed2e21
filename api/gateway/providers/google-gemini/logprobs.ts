// Gemini's logprobsResult as OpenAI's choice.logprobs. Gemini lists the chosen token of each step
// and, step by step, the top candidates; OpenAI nests the top list inside each chosen token.
import { isRecord } from '../json-value';

interface TopLogprob {
  token: string;
  logprob: number;
  bytes: number[];
}

interface TokenLogprob extends TopLogprob {
  top_logprobs: TopLogprob[];
}

export interface ChoiceLogprobs {
  content: TokenLogprob[];
  refusal: null;
}

function toTopLogprob(candidate: unknown): TopLogprob {
  const record = isRecord(candidate) ? candidate : {};
  const token = typeof record.token === 'string' ? record.token : '';
  // proto3 JSON leaves out a logProbability of 0 (a certain token), so absent means 0.
  const logprob = typeof record.logProbability === 'number' ? record.logProbability : 0;
  return { token, logprob, bytes: [...Buffer.from(token, 'utf8')] };
}

/** null when the candidate carries no logprobs (the client did not ask for them). */
export function fromGeminiLogprobs(result: unknown): ChoiceLogprobs | null {
  if (!isRecord(result) || !Array.isArray(result.chosenCandidates)) return null;
  const topSteps = Array.isArray(result.topCandidates) ? result.topCandidates : [];
  const content = result.chosenCandidates.map((chosen, step) => {
    const top = topSteps[step];
    const topList = isRecord(top) && Array.isArray(top.candidates) ? top.candidates : [];
    return { ...toTopLogprob(chosen), top_logprobs: topList.map(toTopLogprob) };
  });
  return { content, refusal: null };
}
