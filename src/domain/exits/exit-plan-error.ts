/**
 * A plan that cannot be resolved (`EXIT_PLAN_INVALID`), an amendment a running exit refuses
 * (`EXIT_AMENDMENT_REFUSED`), or a call the exit's state cannot take (`EXIT_STATE_INVALID`: an
 * unknown tranche, an outcome larger than its order): a typed error with a stable code and the
 * field it concerns (`ladder.2.fraction`, `stopLoss.price`, `trancheId`), so the HTTP layer and
 * the Update validator answer with a precise message.
 */
export type ExitPlanErrorCode = 'EXIT_PLAN_INVALID' | 'EXIT_AMENDMENT_REFUSED' | 'EXIT_STATE_INVALID';

export class ExitPlanError extends Error {
  override readonly name = 'ExitPlanError';
  constructor(readonly code: ExitPlanErrorCode, readonly field: string, readonly rule: string) {
    super(`${field}: ${rule}`);
  }
}

export const planInvalid = (field: string, rule: string) => new ExitPlanError('EXIT_PLAN_INVALID', field, rule);
export const amendmentRefused = (field: string, rule: string) => new ExitPlanError('EXIT_AMENDMENT_REFUSED', field, rule);
export const stateInvalid = (field: string, rule: string) => new ExitPlanError('EXIT_STATE_INVALID', field, rule);
