import { ApplicationFailure, condition, executeChild, patched, proxyActivities, setHandler, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { PlannedRebalance, RebalanceActivities } from '../activities/rebalance.activities';
import { NON_RETRYABLE_FAILURE_TYPES } from '../src/contracts/failure-types';
import { orderWorkflowId } from '../src/contracts/workflow-ids';
import type { OrderProgress } from '../src/contracts/order-contracts';
import {
  approveSignal, awaitPlanUpdate, decideRebalanceUpdate, REBALANCE_MESSAGE_FAILURES, rebalanceStateQuery,
  type RebalanceDecisionCommand, type RebalanceDecisionRecord, type RebalanceLegOutcome, type RebalancePlanDto, type RebalanceState, type RebalanceStatus, type StartRebalanceCommand,
} from '../src/contracts/rebalance-contracts';
import { PORTFOLIO_ID_ATTRIBUTE, REBALANCE_STATUS_ATTRIBUTE } from '../src/contracts/search-attributes';

const { planPortfolioRebalance, acceptRebalanceDecision, revalidateRebalance, signRebalanceLegs, recordRebalanceProgress, marketOpenForRebalance } = proxyActivities<RebalanceActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES, 'RebalancePlanInvalid'] },
});

/**
 * A rebalance, start to end: plan from the books, wait for an approver (four eyes, the plan version
 * they saw, before the deadline), then every leg as an order through the full order path, sells
 * first; a leg that does not fill stops the buys after it. Every step is recorded and audited.
 */
export async function rebalanceWorkflow(command: StartRebalanceCommand): Promise<RebalanceState> {
  let status: RebalanceStatus = 'PLANNING';
  let plan: RebalancePlanDto | null = null;
  let reason: string | null = null;
  const decisions: RebalanceDecisionRecord[] = [];
  let legs: RebalanceLegOutcome[] = [];
  let decided: RebalanceDecisionRecord | undefined;
  /** Distinct approvers the plan waiting needs (the portfolio's policy), and those who approved it so far. */
  let approvalsRequired = 1;
  let approvals: RebalanceDecisionRecord[] = [];

  const state = (): RebalanceState => ({
    rebalanceId: command.rebalanceId, portfolioId: command.portfolioId, status, planVersion: plan?.version ?? null, plan, decisions: [...decisions], legs: [...legs], reason, approvalsRequired,
  });
  const move = async (next: RebalanceStatus, principal = 'system') => {
    status = next;
    upsertSearchAttributes([{ key: REBALANCE_STATUS_ATTRIBUTE, value: next }]);
    await recordRebalanceProgress(command.rebalanceId, next, legs, reason, principal);
  };
  upsertSearchAttributes([{ key: PORTFOLIO_ID_ATTRIBUTE, value: command.portfolioId }, { key: REBALANCE_STATUS_ATTRIBUTE, value: status }]);

  /**
   * Decisions whose signature the activity is checking. Each holds its place while it does, so a
   * decision that arrives meanwhile is refused at once instead of being recorded and then ignored.
   * Rebalances started before replay without (a decision's place was taken once it was recorded).
   */
  const inFlight: RebalanceDecisionCommand[] = [];
  const decisionsHoldTheirPlace = patched('decisions-hold-their-place');
  /** The decisions being checked already decide the plan: a rejection, or the approvals it lacks. */
  const beingDecided = () => inFlight.some((c) => c.decision === 'reject') || approvals.length + inFlight.filter((c) => c.decision === 'approve').length >= approvalsRequired;

  /**
   * Set when the approval deadline passes: a decision that arrives later is refused, one that
   * arrived in time and is still being checked counts.
   */
  let deadlinePassed = false;

  /** Why a decision cannot apply now, or null. */
  const refusal = (d: RebalanceDecisionCommand): ApplicationFailure | null => {
    if (status !== 'PENDING_APPROVAL' || decided !== undefined) return ApplicationFailure.nonRetryable(`the rebalance is ${decided ? 'already decided' : status}`, REBALANCE_MESSAGE_FAILURES.RebalanceNotPending);
    if (inFlight.length > 0 && beingDecided()) return ApplicationFailure.nonRetryable('the rebalance is already being decided', REBALANCE_MESSAGE_FAILURES.RebalanceNotPending);
    if (d.decidedBy === command.requestedBy) return ApplicationFailure.nonRetryable(`${d.decidedBy} requested this rebalance and may not decide it (four eyes)`, REBALANCE_MESSAGE_FAILURES.SelfApproval);
    if (d.planVersion !== plan?.version) return ApplicationFailure.nonRetryable(`the plan waiting is ${plan?.version}, not ${d.planVersion}`, REBALANCE_MESSAGE_FAILURES.PlanVersionMismatch);
    if (d.decision === 'approve' && [...approvals, ...inFlight].some((a) => a.decision === 'approve' && a.decidedBy === d.decidedBy)) {
      return ApplicationFailure.nonRetryable(`${d.decidedBy} already approved this plan: it needs ${approvalsRequired} distinct approvers`, REBALANCE_MESSAGE_FAILURES.AlreadyApproved);
    }
    return null;
  };
  /** Why a decision arriving now is refused, or null: as `refusal`, and too late once the deadline passed. */
  const arrivalRefusal = (d: RebalanceDecisionCommand): ApplicationFailure | null => (deadlinePassed && status === 'PENDING_APPROVAL' && decided === undefined
    ? ApplicationFailure.nonRetryable(`the approval deadline of ${command.approvalDeadlineSeconds} s has passed`, REBALANCE_MESSAGE_FAILURES.RebalanceNotPending)
    : refusal(d));
  const decide = async (d: RebalanceDecisionCommand) => {
    if (decisionsHoldTheirPlace) inFlight.push(d);
    let record: RebalanceDecisionRecord;
    try {
      record = await acceptRebalanceDecision(command.rebalanceId, d); // the gateway's signature, or refused and audited
    } finally {
      if (decisionsHoldTheirPlace) inFlight.splice(inFlight.indexOf(d), 1);
    }
    if (refusal(d) !== null) return; // decided meanwhile (the deadline passed)
    decisions.push(record);
    if (record.decision === 'approve') {
      approvals.push(record);
      if (approvals.length < approvalsRequired) return; // another, distinct approver is still needed
    }
    decided = record;
  };
  /** A new plan (or the first) waits for its own approvals; the policy may have approved it already (mode automatic). */
  const awaitApprovalOf = (planned: PlannedRebalance) => {
    approvals = [];
    approvalsRequired = planned.approvalsRequired ?? 1;
    if (planned.automaticApproval) {
      decisions.push(planned.automaticApproval);
      decided = planned.automaticApproval;
    }
  };

  setHandler(rebalanceStateQuery, state);
  setHandler(awaitPlanUpdate, async () => {
    // A plan the policy approved (mode automatic) answers once it moved on from waiting.
    await condition(() => status !== 'PLANNING' && !(status === 'PENDING_APPROVAL' && decided !== undefined));
    return state();
  });
  setHandler(decideRebalanceUpdate, async (d) => {
    const version = plan?.version;
    const approvedBefore = approvals.length;
    await decide(d);
    // Answered once the decision took effect: the plan moved on, was re-planned for a new approval,
    // or (two approvers) the approval was counted and the plan waits for the other approver.
    await condition(() => status !== 'PENDING_APPROVAL' || plan?.version !== version || (decided === undefined && approvals.length > approvedBefore));
    return state();
  }, {
    validator: (d) => {
      const refused = arrivalRefusal(d);
      if (refused) throw refused;
    },
  });
  // The same approval as a signal (how other services approve): one that cannot apply is dropped, the activity audits a forged one.
  setHandler(approveSignal, async (d) => {
    if (d.decision !== 'approve' || arrivalRefusal(d) !== null) return;
    try {
      await decide(d);
    } catch {
      // Refused (a forged or unsigned approval): the activity audited it; the plan goes on waiting.
    }
  });

  const planned = await planPortfolioRebalance(command);
  plan = planned.plan;
  reason = planned.reason;
  status = planned.status;
  upsertSearchAttributes([{ key: REBALANCE_STATUS_ATTRIBUTE, value: status }]);
  // The portfolio's policy: how many approvers, whether mode automatic approved it already.
  const policyAware = patched('rebalance-policy');
  if (policyAware) awaitApprovalOf(planned);
  if (status !== 'PENDING_APPROVAL') return state(); // NO_ACTION_NEEDED, DRY_RUN, FAILED: recorded by the planning

  const deadline = workflowInfo().startTime.getTime() + command.approvalDeadlineSeconds * 1000;

  /**
   * Where the policy respects market hours, the approved plan waits durably (a timer) until every
   * leg's market is open, within the approval deadline; false when it expired instead.
   */
  const marketsOpened = async (approvedBy: string): Promise<boolean> => {
    for (;;) {
      const check = await marketOpenForRebalance(command, plan!);
      if (check.open) return true;
      const closed = check.closed.join(', ');
      if (check.waitMs === null || check.opensAt === null || Date.now() + check.waitMs > deadline) {
        reason = check.opensAt === null ? `approved, but the markets of ${closed} are never open at once` : `approved, but the market of ${closed} opens at ${check.opensAt}, after the approval deadline`;
        await move('EXPIRED', approvedBy);
        return false;
      }
      reason = `approved; waiting for the market of ${closed} to open at ${check.opensAt}`;
      await move('APPROVED', approvedBy);
      await sleep(check.waitMs);
      reason = null;
    }
  };
  let decision: RebalanceDecisionRecord;
  for (;;) {
    if (!(await condition(() => decided !== undefined, Math.max(0, deadline - Date.now())))) {
      deadlinePassed = true;
      // A decision that arrived in time counts, though its check ends after the deadline.
      // Rebalances started before expired at once (and ignored such a decision, once recorded).
      if (inFlight.length > 0 && patched('decisions-in-time-count')) await condition(() => inFlight.length === 0);
      if (decided === undefined) {
        reason = `no decision within ${command.approvalDeadlineSeconds} s`;
        await move('EXPIRED');
        return state();
      }
    }
    decision = decided!;
    if (decision.decision === 'reject') {
      reason = decision.comment;
      await move('REJECTED', decision.decidedBy);
      return state();
    }
    if (patched('wait-for-market-open') && !(await marketsOpened(decision.decidedBy))) return state();
    // Trade only the plan that was approved, at the prices it was approved at: a move beyond the
    // tolerance re-plans, and the new plan needs a new approval.
    if (!patched('revalidate-before-execution')) break;
    const check = await revalidateRebalance(command, plan!);
    if (!check.stale) break;
    plan = check.replanned.plan;
    reason = check.replanned.reason;
    decided = undefined;
    approvals = []; // the new version needs its own approvals
    if (policyAware) awaitApprovalOf(check.replanned);
    status = check.replanned.status;
    upsertSearchAttributes([{ key: REBALANCE_STATUS_ATTRIBUTE, value: status }]);
    if (status !== 'PENDING_APPROVAL') return state(); // no longer needed, or refused: recorded by the re-plan
  }
  await move('APPROVED', decision.decidedBy);

  const signed = await signRebalanceLegs(command, plan!, decision.decidedBy);
  legs = signed.map(({ leg, command: c }) => ({ leg, symbol: c.symbol, side: c.side, quantity: c.quantity, orderId: c.orderId, status: 'NOT_SENT', filledQuantity: '0' }));
  await move('EXECUTING', decision.decidedBy);
  let stopBuys = false;
  for (const { leg, command: order } of signed) {
    if (order.side === 'BUY' && stopBuys) continue;
    const placed = await executeChild<(c: typeof order) => Promise<OrderProgress>>('orderWorkflow', {
      workflowId: orderWorkflowId(order.orderId), args: [order], taskQueue: workflowInfo().taskQueue,
    });
    legs = legs.map((l) => (l.leg === leg ? { ...l, status: placed.status, filledQuantity: placed.filledQuantity } : l));
    if (placed.status !== 'FILLED') stopBuys = true;
    await recordRebalanceProgress(command.rebalanceId, status, legs.filter((l) => l.leg === leg), reason, decision.decidedBy);
  }
  const unfilled = legs.filter((l) => l.status !== 'FILLED');
  if (unfilled.length > 0) reason = `${unfilled.length} of ${legs.length} legs did not fill: ${unfilled.map((l) => `${l.side} ${l.quantity} ${l.symbol} ${l.status}`).join(', ')}`;
  await move(unfilled.length === 0 ? 'COMPLETED' : 'PARTIALLY_EXECUTED', decision.decidedBy);
  return state();
}
