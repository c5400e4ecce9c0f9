import { canonicalJson, type CanonicalValue } from '../domain/rebalance/canonical-json';
import type { SignedFields } from '../ports/command-signature.port';
import type { CancelOrderCommand, PlaceOrderCommand } from './order-contracts';
import type { ReconcileOrdersRequest } from './reconciliation-contracts';
import type { AnalyticsCommand } from './analytics-contracts';
import type { ExitCommand, StartExitCommand } from './exit-workflow-contracts';
import type { DailyRiskCommand } from './daily-risk-contracts';
import type { KillSwitchCommand } from './kill-switch-contracts';
import type { RebalanceDecisionCommand, ScheduledRebalanceCommand, StartRebalanceCommand } from './rebalance-contracts';

/** Nested command fields are signed as canonical JSON: the same value signs the same, however its keys were ordered. */
const canonical = (value: unknown) => canonicalJson(value as CanonicalValue);

/** What the signature of a place-order command covers: every field but the signature (nested ones as canonical JSON). */
export function placeOrderSignedFields(command: Omit<PlaceOrderCommand, 'signature'> & { signature?: unknown }): SignedFields {
  const { signature: _signature, signal, stops, exitPlan, ...fields } = command;
  return {
    ...fields,
    ...(signal !== undefined && { signal: canonical(signal) }),
    ...(stops !== undefined && { stops: canonical(stops) }),
    ...(exitPlan !== undefined && { exitPlan: canonical(exitPlan) }),
  };
}

/** What the signature of a cancel covers: the order it names, who asks and when. */
export function cancelOrderSignedFields(orderId: string, cancel: Omit<CancelOrderCommand, 'signature'>): SignedFields {
  return { orderId, requestedBy: cancel.requestedBy, issuedAt: cancel.issuedAt };
}

/** What the signature of a reconciliation request covers. */
export function reconcileOrdersSignedFields(request: Omit<ReconcileOrdersRequest, 'signature'>): SignedFields {
  return { graceSeconds: request.graceSeconds, requestedBy: request.requestedBy, issuedAt: request.issuedAt };
}

/** What the signature of an analytics run covers: the run, the kind, the input's digest, who and when. */
export function analyticsSignedFields(command: Omit<AnalyticsCommand, 'signature' | 'input'>): SignedFields {
  return {
    runId: command.runId, kind: command.kind, inputDigest: command.inputDigest, requestedBy: command.requestedBy, issuedAt: command.issuedAt,
    ...(command.portfolioId !== undefined && { portfolioId: command.portfolioId }),
  };
}

/** What the signature of a rebalance request covers: every field but the signature (method and settings as canonical JSON). */
export function startRebalanceSignedFields(command: Omit<StartRebalanceCommand, 'signature'> & { signature?: unknown }): SignedFields {
  const { signature: _signature, method, settings, adjustment, ...fields } = command;
  return { ...fields, method: canonical(method), settings: canonical(settings), ...(adjustment !== undefined && { adjustment: canonical(adjustment) }) };
}

/** What the signature of an approval or a rejection covers: the rebalance, the decision, the plan version, who, when. */
export function decideRebalanceSignedFields(decision: Omit<RebalanceDecisionCommand, 'signature'> & { signature?: unknown }): SignedFields {
  return {
    rebalanceId: decision.rebalanceId, decision: decision.decision, planVersion: decision.planVersion, comment: decision.comment,
    decidedBy: decision.decidedBy, issuedAt: decision.issuedAt,
  };
}

/** What the signature of an exit workflow's start covers: every field but the signature (the plan as canonical JSON). */
export function startExitSignedFields(command: Omit<StartExitCommand, 'signature'> & { signature?: unknown }): SignedFields {
  const { signature: _signature, plan, ...fields } = command;
  return { ...fields, plan: canonical(plan) };
}

/** What the signature of a command to a running exit covers: the position, the action, the amendment, who, when. */
export function exitCommandSignedFields(command: Omit<ExitCommand, 'signature'> & { signature?: unknown }): SignedFields {
  return {
    positionId: command.positionId, action: command.action, amendment: command.amendment === null ? null : canonical(command.amendment),
    requestedBy: command.requestedBy, issuedAt: command.issuedAt,
  };
}

/** What the signature of a daily risk run covers: every field but the signature (the portfolio list as canonical JSON). */
export function dailyRiskSignedFields(command: Omit<DailyRiskCommand, 'signature'> & { signature?: unknown }): SignedFields {
  const { signature: _signature, portfolioIds, ...fields } = command;
  return { ...fields, ...(portfolioIds !== undefined && { portfolioIds: canonical([...portfolioIds]) }) };
}

/** What the signature of a rebalance schedule's command covers (its own kind, scheduled-rebalance: it never passes for a single rebalance's, nor the reverse). */
export function scheduledRebalanceSignedFields(command: Omit<ScheduledRebalanceCommand, 'signature'> & { signature?: unknown }): SignedFields {
  const { signature: _signature, method, settings, dca, adjustment, ...fields } = command;
  return {
    ...fields, method: canonical(method), settings: canonical(settings), dca: dca === null ? null : canonical(dca),
    ...(adjustment !== undefined && { adjustment: canonical(adjustment) }),
  };
}

/** What the signature of a kill switch covers: every field but the signature (the scope as canonical JSON). */
export function killSwitchSignedFields(command: Omit<KillSwitchCommand, 'signature'> & { signature?: unknown }): SignedFields {
  const { signature: _signature, scope, ...fields } = command;
  return { ...fields, scope: canonical(scope) };
}
