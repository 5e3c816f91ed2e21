// Parses input with a zod schema and turns the first problem into a 400 that names the field.
import type { z } from 'zod';
import { RequestInvalid } from '../errors';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const keys = 'keys' in issue && Array.isArray(issue.keys) ? (issue.keys as string[]) : [];
  const path = [...issue.path.map(String), ...keys.slice(0, 1)].join('.');
  const param = path || null;
  const message = issue.code === 'unrecognized_keys' ? `${path}: unknown field` : `${path || 'body'}: ${issue.message}`;
  throw new RequestInvalid(message, param);
}
