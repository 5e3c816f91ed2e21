// The inbound POST /v1/embeddings body as OpenAI documents it; strict like the chat body.
import { z } from 'zod';

const MAX_INPUTS = 2048;

export const embeddingsRequest = z
  .object({
    model: z.string().min(1).max(512),
    input: z.union([
      z.string(),
      z.array(z.string()).min(1).max(MAX_INPUTS),
      // Token arrays: accepted only by upstreams that take them (the adapter says otherwise with a 400).
      z.array(z.number().int().min(0)).min(1),
      z.array(z.array(z.number().int().min(0)).min(1)).min(1).max(MAX_INPUTS),
    ]),
    encoding_format: z.enum(['float', 'base64']).optional(),
    dimensions: z.number().int().min(1).max(65_536).optional(),
    user: z.string().max(512).optional(),
  })
  .strict();

export type EmbeddingsRequest = z.infer<typeof embeddingsRequest>;

/** The inputs as strings, for upstreams that only take text; null when the caller sent token ids. */
export function embeddingInputsAsText(request: EmbeddingsRequest): string[] | null {
  if (typeof request.input === 'string') return [request.input];
  if (request.input.every((item) => typeof item === 'string')) return request.input as string[];
  return null;
}
