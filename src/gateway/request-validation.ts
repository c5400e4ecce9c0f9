import type { z } from 'zod';
import { badRequest, type FieldProblem } from './http-errors';

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text no field may hold, whatever its schema: a NUL (PostgreSQL refuses it) or a lone surrogate (not Unicode). */
function textProblems(input: unknown, path: readonly (string | number)[], where: string, found: FieldProblem[]): FieldProblem[] {
  const field = () => (path.length > 0 ? path.join('.') : where);
  if (typeof input === 'string') {
    if (input.includes('\u0000')) found.push({ field: field(), rule: 'must not contain a NUL character' });
    else if (LONE_SURROGATE.test(input)) found.push({ field: field(), rule: 'must not contain a lone surrogate (invalid Unicode)' });
  } else if (Array.isArray(input)) {
    input.forEach((item, i) => textProblems(item, [...path, i], where, found));
  } else if (input !== null && typeof input === 'object') {
    for (const [key, value] of Object.entries(input)) textProblems(value, [...path, key], where, found);
  }
  return found;
}

/** Parses a request part with its schema; a failure is a 400 that names every bad field and its rule. */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown, where: 'body' | 'query' | 'params' = 'body'): z.infer<S> {
  const text = textProblems(input, [], where, []);
  if (text.length > 0) throw badRequest(text);
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw badRequest(result.error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : where,
    rule: issue.message,
  })));
}
