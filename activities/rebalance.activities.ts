import { ApplicationFailure, Context } from '@temporalio/activity';
import { decideRebalanceSignedFields, placeOrderSignedFields, startRebalanceSignedFields } from '../src/contracts/command-signatures';
import type { PlaceOrderCommand } from '../src/contracts/order-contracts';
import { orderIdForClientRequest } from '../src/contracts/order-ids';
import type {
  RebalanceDecisionCommand, RebalanceDecisionRecord, RebalanceLegOutcome, RebalancePlanDto, RebalanceStatus, SignedRebalanceLeg, StartRebalanceCommand,
} from '../src/contracts/rebalance-contracts';
import { planRebalance, RebalancePlanError, rebalancePlanToWire, type RebalanceTargetSource, type StrategyBand } from '../src/domain/rebalance';
import { dec, toWire } from '../src/domain/values/decimal';
import type { AuditLog } from '../src/ports/audit.port';
import type { Clock } from '../src/ports/clock.port';
import type { CommandSigner, CommandVerifier } from '../src/ports/command-signature.port';
import type { RebalancesStore } from '../src/ports/rebalances.port';
import { failFast } from './activity-failures';
import { currentExecution } from './command-acceptance';

export interface RebalanceActivityDeps {
  readonly rebalances: RebalancesStore;
  readonly verifier: CommandVerifier;
  /** Signs the legs' order commands once the approval is verified (the same key the gateway signs with). */
  readonly signer: CommandSigner;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

/** A plan the planner could not make: the rebalance fails with the reason (never retried). */
export const REBALANCE_PLAN_INVALID = 'RebalancePlanInvalid';

export interface PlannedRebalance {
  readonly status: RebalanceStatus;
  readonly plan: RebalancePlanDto | null;
  readonly reason: string | null;
  /** The marks the plan was made at (decimal strings). */
  readonly marks?: Readonly<Record<string, string>>;
}

/** What revalidation found: the approved plan still holds, or a new plan that needs approval again. */
export type Revalidation = { readonly stale: false } | { readonly stale: true; readonly replanned: PlannedRebalance };

/** A leg's mark moving more than this since the plan (as a fraction) makes the plan stale. */
export const DEFAULT_PRICE_TOLERANCE = '0.02';

const decimals = (record: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, dec(v)]));

/** Rebalance activities: plans from the books, verified decisions, signed legs, recorded progress. */
export function createRebalanceActivities(deps: RebalanceActivityDeps) {
  async function refuse(principal: string, rebalanceId: string, reason: string): Promise<ApplicationFailure> {
    const execution = currentExecution(Context.current().info);
    await deps.audit.record({ principal: principal || '(none)', action: 'command.refused', entityType: 'rebalance', entityId: rebalanceId, details: { reason, workflowId: execution.workflowId } });
    return ApplicationFailure.nonRetryable(`rebalance command refused: ${reason}`, 'CommandRejected');
  }

  /** Plans from the portfolio as it stands now; a plan the planner refuses is FAILED with its reason. */
  async function makePlan(command: StartRebalanceCommand): Promise<PlannedRebalance> {
    const targetSymbols = command.method.type === 'target-weights' ? Object.keys(command.method.targets) : [];
    const portfolio = await deps.rebalances.portfolioForRebalance(command.portfolioId, targetSymbols);
    if (portfolio === null) throw ApplicationFailure.nonRetryable(`portfolio ${command.portfolioId} does not exist`, REBALANCE_PLAN_INVALID);
    const targets: RebalanceTargetSource = command.method.type === 'target-weights'
      ? { type: 'target-weights', weights: decimals(command.method.targets) }
      : {
        type: 'strategy-bands',
        strategyOf: Object.fromEntries(portfolio.positions.filter((p) => p.strategy !== null).map((p) => [p.symbol, p.strategy!])),
        ...(command.method.bands && { bands: Object.fromEntries(Object.entries(command.method.bands).map(([k, b]): [string, StrategyBand] => [k, { target: dec(b.target), min: dec(b.min), max: dec(b.max), threshold: dec(b.threshold) }])) }),
      };
    const s = command.settings;
    let status: RebalanceStatus;
    let plan: RebalancePlanDto | null = null;
    let reason: string | null = null;
    try {
      const planned = planRebalance({
        portfolio: { cash: portfolio.cash, positions: portfolio.positions, marks: portfolio.marks, quotes: portfolio.quotes, instruments: portfolio.instruments },
        targets, strategy: { type: 'threshold' },
        settings: {
          ...(s.driftThreshold !== undefined && { driftThreshold: dec(s.driftThreshold) }), ...(s.cashBuffer !== undefined && { cashBuffer: dec(s.cashBuffer) }),
          ...(s.maxCostFraction !== undefined && { maxCostFraction: dec(s.maxCostFraction) }),
          ...(s.turnoverCap !== undefined && { turnoverCap: s.turnoverCap === null ? null : dec(s.turnoverCap) }),
        },
      });
      plan = rebalancePlanToWire(planned) as unknown as RebalancePlanDto;
      status = planned.status === 'NO_ACTION_NEEDED' ? 'NO_ACTION_NEEDED'
        : planned.status === 'COST_CAP_EXCEEDED' ? 'FAILED'
        : command.mode === 'dry_run' ? 'DRY_RUN' : 'PENDING_APPROVAL';
      if (planned.status === 'COST_CAP_EXCEEDED') reason = `the plan's expected cost ${toWire(planned.expectedCostFraction)} of equity is above the cap`;
    } catch (err) {
      if (!(err instanceof RebalancePlanError)) throw err;
      status = 'FAILED';
      reason = err.message;
    }
    return { status, plan, reason, marks: Object.fromEntries(Object.entries(portfolio.marks).map(([k, v]) => [k, toWire(v)])) };
  }

  return {
    /**
     * Verifies the request's signature, plans from the portfolio as it stands (positions, quotes,
     * instruments) and records the plan. NO_ACTION_NEEDED and DRY_RUN end here; a plan above the
     * cost cap is refused (FAILED); any other waits for approval.
     */
    async planPortfolioRebalance(command: StartRebalanceCommand): Promise<PlannedRebalance> {
      return failFast(async () => {
        if (!deps.verifier.verify('start-rebalance', startRebalanceSignedFields(command), command.signature)) {
          throw await refuse(command.requestedBy, command.rebalanceId, 'the signature is missing or does not match the request');
        }
        const { status, plan, reason } = await makePlan(command);
        await deps.rebalances.recordPlan(command, status, plan, reason);
        return { status, plan, reason };
      });
    },

    /**
     * Before an approved plan trades: its legs' prices now, against those it was planned at. A move
     * beyond the tolerance (or a plan that no longer applies) re-plans from the books as they are,
     * records the new plan, and answers it: it needs approval again, never the old approval.
     */
    async revalidateRebalance(command: StartRebalanceCommand, approved: RebalancePlanDto): Promise<Revalidation> {
      return failFast(async () => {
        const replanned = await makePlan(command);
        const tolerance = dec(command.settings.priceTolerance ?? DEFAULT_PRICE_TOLERANCE);
        const moved: string[] = [];
        for (const leg of approved.legs as ReadonlyArray<{ symbol: string; quantity: string; notional: { amount: string } }>) {
          const then = dec(leg.notional.amount).div(dec(leg.quantity));
          const now = replanned.marks?.[leg.symbol];
          if (now === undefined) moved.push(`${leg.symbol} has no price now`);
          else if (dec(now).minus(then).abs().div(then).gt(tolerance)) moved.push(`${leg.symbol} moved from ${toWire(then)} to ${now}`);
        }
        if (moved.length === 0) return { stale: false };
        const reason = `prices moved beyond ${toWire(tolerance)} since the plan was approved (${moved.join('; ')}): re-planned, approval needed again`;
        const next: PlannedRebalance = { ...replanned, reason: replanned.status === 'PENDING_APPROVAL' ? reason : replanned.reason ?? reason };
        await deps.rebalances.replacePlan(command.rebalanceId, next.status, next.plan, next.reason);
        return { stale: true, replanned: next };
      });
    },

    /** An approval or a rejection is acted on only with the gateway's signature, for this rebalance; recorded and audited. */
    async acceptRebalanceDecision(rebalanceId: string, decision: RebalanceDecisionCommand): Promise<RebalanceDecisionRecord> {
      return failFast(async () => {
        if (!deps.verifier.verify('decide-rebalance', decideRebalanceSignedFields(decision), decision.signature)) {
          throw await refuse(decision.decidedBy, rebalanceId, 'the decision\'s signature is missing or does not match it');
        }
        if (decision.rebalanceId !== rebalanceId) throw await refuse(decision.decidedBy, rebalanceId, `the decision is for rebalance ${decision.rebalanceId}`);
        const record: RebalanceDecisionRecord = {
          decision: decision.decision, decidedBy: decision.decidedBy, planVersion: decision.planVersion, comment: decision.comment, decidedAt: deps.clock.now().toISOString(),
        };
        await deps.rebalances.recordDecision(rebalanceId, record);
        return record;
      });
    },

    /**
     * The approved plan's legs as order commands (sells first, as planned), each with an order id
     * derived from the rebalance and the leg, signed for the order workflow's checks.
     */
    async signRebalanceLegs(command: StartRebalanceCommand, plan: RebalancePlanDto, approvedBy: string): Promise<SignedRebalanceLeg[]> {
      return failFast(async () => plan.legs.map((leg, i) => {
        const clientRequestId = `rebalance-${command.rebalanceId}-leg${i + 1}`;
        const unsigned: Omit<PlaceOrderCommand, 'signature'> = {
          orderId: orderIdForClientRequest(command.portfolioId, clientRequestId), portfolioId: command.portfolioId, clientRequestId,
          symbol: String(leg.symbol), side: leg.side === 'SELL' ? 'SELL' : 'BUY', type: 'MARKET', quantity: String(leg.quantity), limitPrice: null,
          execute: true, requestedBy: approvedBy, issuedAt: deps.clock.now().toISOString(),
        };
        return { leg: i + 1, command: { ...unsigned, signature: deps.signer.sign('place-order', placeOrderSignedFields(unsigned)) } };
      }));
    },

    async recordRebalanceProgress(rebalanceId: string, status: RebalanceStatus, legs: readonly RebalanceLegOutcome[], reason: string | null, principal: string): Promise<void> {
      return failFast(() => deps.rebalances.recordProgress(rebalanceId, status, legs, reason, principal));
    },
  };
}

export type RebalanceActivities = ReturnType<typeof createRebalanceActivities>;
