import type { z } from 'zod';
import { badRequest } from './http-errors';

/** Parses a request part with its schema; a failure is a 400 that names every bad field and its rule. */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown, where: 'body' | 'query' | 'params' = 'body'): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw badRequest(result.error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : where,
    rule: issue.message,
  })));
}
