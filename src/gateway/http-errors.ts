/** An error the gateway answers with: a status, a stable code, a message a client can show. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface FieldProblem {
  readonly field: string;
  readonly rule: string;
}

export const badRequest = (problems: readonly FieldProblem[]) =>
  new HttpError(400, 'VALIDATION_FAILED', problems.map((p) => `${p.field}: ${p.rule}`).join('; '), problems);
export const notFound = (what: string, id: string) => new HttpError(404, 'NOT_FOUND', `${what} ${id} does not exist`, { [what]: id });
export const conflict = (code: string, message: string, details?: unknown) => new HttpError(409, code, message, details);
