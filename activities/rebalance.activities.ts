import { ApplicationFailure, Context } from '@temporalio/activity';
import { decideRebalanceSignedFields, placeOrderSignedFields, scheduledRebalanceSignedFields, startRebalanceSignedFields } from '../src/contracts/command-signatures';
import type { PlaceOrderCommand } from '../src/contracts/order-contracts';
import { orderIdForClientRequest } from '../src/contracts/order-ids';
import type {
  RebalanceDecisionCommand, RebalanceDecisionRecord, RebalanceLegOutcome, RebalancePlanDto, RebalanceStatus, ScheduledRebalanceCommand, SignedRebalanceLeg, StartRebalanceCommand,
} from '../src/contracts/rebalance-contracts';
import {
  approvalRequirement, grossTradedValue, measureTargetAdjustment, planRebalance, RebalancePlanError, rebalancePlanToWire, symbolsToAdjust,
  type AssetBand, type RebalancePolicy, type RebalanceTargetSource, type StrategyBand, type TargetAdjustment,
} from '../src/domain/rebalance';
import { EXCHANGE_CALENDAR, whenAllOpen } from '../src/domain/market/markets-open';
import { alignReturns } from '../src/domain/market/aligned-returns';
import { InfeasibleConstraintsError, InvalidOptimisationInputError, OptimisationSolverError, type Optimiser } from '../src/domain/optimisation';
import { marketOf } from './analytics-computations';
import { DEFAULT_REBALANCE_SETTINGS, targetsFromOptimiserWeights } from '../src/domain/rebalance';
import type { RebalancePoliciesStore, StrategyTargetDto } from '../src/ports/rebalance-policies.port';
import { dec, toWire, type Decimal } from '../src/domain/values/decimal';
import type { AuditLog } from '../src/ports/audit.port';
import type { Clock } from '../src/ports/clock.port';
import type { CommandKind, CommandSigner, CommandVerifier } from '../src/ports/command-signature.port';
import type { PortfolioForRebalance, RebalancesStore } from '../src/ports/rebalances.port';
import { failFast } from './activity-failures';
import { currentExecution, refuseCommand } from './command-acceptance';

export interface RebalanceActivityDeps {
  readonly rebalances: RebalancesStore;
  readonly verifier: CommandVerifier;
  /** Signs the legs' order commands once the approval is verified (the same key the gateway signs with). */
  readonly signer: CommandSigner;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** Per-portfolio rebalance policies and stored target sets. */
  readonly rebalancePolicies: RebalancePoliciesStore;
  /** The analytics optimiser (HiGHS loaded once per worker), for method optimizer. */
  readonly optimiser?: Optimiser;
}

/** Daily closes the optimizer method reads by default (a year of trading days). */
export const DEFAULT_OPTIMIZER_LOOKBACK_DAYS = 252;
/** Fewer common daily returns than this leave the covariance meaningless: the plan fails. */
export const MIN_OPTIMIZER_RETURNS = 20;

/** A plan the planner could not make: the rebalance fails with the reason (never retried). */
export const REBALANCE_PLAN_INVALID = 'RebalancePlanInvalid';

export interface PlannedRebalance {
  readonly status: RebalanceStatus;
  readonly plan: RebalancePlanDto | null;
  readonly reason: string | null;
  /** The marks the plan was made at (decimal strings). */
  readonly marks?: Readonly<Record<string, string>>;
  /** Distinct approvers the plan needs under the portfolio's policy (absent in older histories: 1). */
  readonly approvalsRequired?: number;
  /** Mode automatic, allowed and under the policy's limits: the policy's approval, recorded. */
  readonly automaticApproval?: RebalanceDecisionRecord;
}

/** Whether every market of an approved plan's legs is open now, or when they all will be. */
export type MarketOpenCheck =
  | { readonly open: true }
  | { readonly open: false; readonly closed: readonly string[]; readonly opensAt: string | null; readonly waitMs: number | null };

/** Who approves a plan that mode automatic trades under the policy. */
export const AUTOMATIC_APPROVER = 'policy:automatic';

/** What revalidation found: the approved plan still holds, or a new plan that needs approval again. */
export type Revalidation = { readonly stale: false } | { readonly stale: true; readonly replanned: PlannedRebalance };

/** A leg's mark moving more than this since the plan (as a fraction) makes the plan stale. */
export const DEFAULT_PRICE_TOLERANCE = '0.02';

const decimals = (record: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, dec(v)]));

/** Rebalance activities: plans from the books, verified decisions, signed legs, recorded progress. */
export function createRebalanceActivities(deps: RebalanceActivityDeps) {
  /** Refuses a command about this rebalance: audited in the name it claims, then failed non-retryably. */
  const refuse = (kind: CommandKind, principal: string, rebalanceId: string, reason: string) =>
    refuseCommand(deps.audit, kind, { type: 'rebalance', id: rebalanceId }, principal, reason, currentExecution(Context.current().info));

  const band = (b: StrategyTargetDto): StrategyBand => ({ target: dec(b.target), min: dec(b.min), max: dec(b.max), threshold: dec(b.threshold) });

  /**
   * Method optimizer: the holdings and `symbols`, their stored daily closes aligned on common dates,
   * annualised mean returns and sample covariance, the optimiser's long-only weights as targets of
   * the invested part of equity (1 − cash buffer). Too little history or an impossible problem
   * throws a RebalancePlanError: the plan is FAILED with that reason.
   */
  async function optimisedTargets(command: StartRebalanceCommand, method: Extract<StartRebalanceCommand['method'], { type: 'optimizer' }>): Promise<{ weights: Record<string, Decimal>; held: PortfolioForRebalance }> {
    if (!deps.optimiser) throw new RebalancePlanError('REBALANCE_MISSING_INPUT', 'method', 'this worker has no optimiser');
    const held = await deps.rebalances.portfolioForRebalance(command.portfolioId, method.symbols ?? []);
    if (held === null) throw ApplicationFailure.nonRetryable(`portfolio ${command.portfolioId} does not exist`, REBALANCE_PLAN_INVALID);
    const symbols = [...new Set([...held.positions.map((p) => p.symbol), ...(method.symbols ?? [])])].sort();
    if (symbols.length === 0) throw new RebalancePlanError('REBALANCE_MISSING_INPUT', 'method.symbols', 'the portfolio holds nothing and no symbols were given to optimise over');
    const lookback = method.lookbackDays ?? DEFAULT_OPTIMIZER_LOOKBACK_DAYS;
    const aligned = alignReturns(await deps.rebalances.recentCloses(symbols, lookback + 1), lookback);
    if (aligned.dates.length < MIN_OPTIMIZER_RETURNS) {
      throw new RebalancePlanError('REBALANCE_MISSING_INPUT', 'method.lookbackDays', `${symbols.join(', ')} share ${aligned.dates.length} daily returns in the stored closes: the optimiser needs at least ${MIN_OPTIMIZER_RETURNS} (load closes with POST /v1/price-history)`);
    }
    const market = marketOf({ assets: aligned.assets, returns: aligned.returns });
    const c = method.constraints;
    const sectors = Object.fromEntries(symbols.flatMap((s) => (held.instruments[s]?.sector ? [[s, held.instruments[s]!.sector]] : [])));
    let weights: Readonly<Record<string, number>>;
    try {
      weights = deps.optimiser.optimise({
        assets: aligned.assets, objective: method.objective,
        expectedReturns: market.expectedReturns, covariance: market.covariance,
        constraints: {
          longOnly: true, ...(c?.minWeight !== undefined && { minWeight: c.minWeight }), ...(c?.maxWeight !== undefined && { maxWeight: c.maxWeight }),
          ...(c?.bounds !== undefined && { bounds: c.bounds }), ...(c?.maxSectorWeight !== undefined && { sectors, maxSectorWeight: c.maxSectorWeight }),
        },
      }).weights;
    } catch (err) {
      if (err instanceof InfeasibleConstraintsError) throw new RebalancePlanError('REBALANCE_SETTING_INVALID', 'method.constraints', `the optimiser found the constraints infeasible: ${err.message}`);
      if (err instanceof InvalidOptimisationInputError || err instanceof OptimisationSolverError) throw new RebalancePlanError('REBALANCE_SETTING_INVALID', 'method', `the optimiser could not solve: ${err.message}`);
      throw err;
    }
    const invested = dec('1').minus(command.settings.cashBuffer !== undefined ? dec(command.settings.cashBuffer) : DEFAULT_REBALANCE_SETTINGS.cashBuffer);
    return { weights: targetsFromOptimiserWeights(weights, invested), held };
  }

  /** Where the targets come from: the request's own, or the portfolio's stored set (null: none stored). */
  async function targetsOf(command: StartRebalanceCommand, strategyOf: () => Promise<Record<string, string>>): Promise<{ source: RebalanceTargetSource; symbols: string[]; held?: PortfolioForRebalance } | null> {
    const method = command.method;
    if (method.type === 'target-weights') return { source: { type: 'target-weights', weights: decimals(method.targets) }, symbols: Object.keys(method.targets) };
    if (method.type === 'strategy-bands') {
      return { source: { type: 'strategy-bands', strategyOf: await strategyOf(), ...(method.bands && { bands: Object.fromEntries(Object.entries(method.bands).map(([k, b]) => [k, band(b)])) }) }, symbols: [] };
    }
    if (method.type === 'optimizer') {
      const { weights, held } = await optimisedTargets(command, method);
      return { source: { type: 'optimizer', weights }, symbols: Object.keys(weights), held };
    }
    const stored = await deps.rebalancePolicies.targetSet(command.portfolioId);
    if (stored === null) return null;
    if ('assets' in stored.targets) {
      const bands = Object.fromEntries(Object.entries(stored.targets.assets).map(([symbol, t]): [string, AssetBand] => [symbol, {
        target: dec(t.target), ...(t.min !== undefined && { min: dec(t.min) }), ...(t.max !== undefined && { max: dec(t.max) }),
      }]));
      return { source: { type: 'asset-bands', bands }, symbols: Object.keys(bands) };
    }
    return { source: { type: 'strategy-bands', strategyOf: await strategyOf(), bands: Object.fromEntries(Object.entries(stored.targets.strategies).map(([k, b]) => [k, band(b)])) }, symbols: [] };
  }

  /** Plans from the portfolio as it stands now; a plan the planner refuses is FAILED with its reason. */
  async function makePlan(command: StartRebalanceCommand): Promise<PlannedRebalance> {
    let held: Awaited<ReturnType<RebalancesStore['portfolioForRebalance']>> | undefined;
    const strategyOf = async () => {
      held ??= await deps.rebalances.portfolioForRebalance(command.portfolioId, []);
      return Object.fromEntries((held?.positions ?? []).filter((p) => p.strategy !== null).map((p) => [p.symbol, p.strategy!]));
    };
    let resolved: Awaited<ReturnType<typeof targetsOf>>;
    try {
      resolved = await targetsOf(command, strategyOf);
    } catch (err) {
      if (!(err instanceof RebalancePlanError)) throw err;
      return { status: 'FAILED', plan: null, reason: err.message };
    }
    if (resolved === null) return { status: 'FAILED', plan: null, reason: `portfolio ${command.portfolioId} has no stored target set (PUT /v1/portfolios/${command.portfolioId}/targets)` };
    // Strategy bands and the optimizer read the portfolio already, with every symbol the plan needs.
    const portfolio = resolved.held ?? (resolved.symbols.length === 0 && held !== undefined ? held : await deps.rebalances.portfolioForRebalance(command.portfolioId, resolved.symbols));
    if (portfolio === null) throw ApplicationFailure.nonRetryable(`portfolio ${command.portfolioId} does not exist`, REBALANCE_PLAN_INVALID);
    const s = command.settings;
    let status: RebalanceStatus;
    let plan: RebalancePlanDto | null = null;
    let reason: string | null = null;
    let approvalsRequired = 1;
    let automatic = false;
    try {
      // Measured now, from the stored closes, so a re-plan at revalidation applies the same rule to the closes as they are then.
      let adjustment: TargetAdjustment | undefined;
      if (command.adjustment !== undefined) {
        const symbols = symbolsToAdjust(resolved.source, portfolio.positions);
        adjustment = measureTargetAdjustment(command.adjustment, symbols, await deps.rebalances.recentCloses(symbols, command.adjustment.lookbackDays + 1));
      }
      const planned = planRebalance({
        portfolio: { cash: portfolio.cash, positions: portfolio.positions, marks: portfolio.marks, quotes: portfolio.quotes, instruments: portfolio.instruments },
        targets: resolved.source,
        ...(adjustment !== undefined && { adjustment }),
        strategy: command.tranche !== undefined && command.tranches !== undefined ? { type: 'dca', tranches: command.tranches, tranche: command.tranche } : { type: 'threshold' },
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
      if (status === 'PENDING_APPROVAL') {
        const policy: RebalancePolicy = await deps.rebalancePolicies.policyForPlanning(command.portfolioId);
        const need = approvalRequirement(policy, {
          grossTradedValue: grossTradedValue(planned.legs.map((l) => l.notional.amount)), expectedCostFraction: planned.expectedCostFraction, currency: planned.currency,
        }, command.mode === 'automatic' ? 'automatic' : 'manual');
        approvalsRequired = need.approvalsRequired;
        automatic = need.automatic;
        reason = need.reason;
      }
    } catch (err) {
      if (!(err instanceof RebalancePlanError)) throw err;
      status = 'FAILED';
      reason = err.message;
    }
    const marks = Object.fromEntries(Object.entries(portfolio.marks).map(([k, v]) => [k, toWire(v)]));
    if (!automatic || plan === null) return { status, plan, reason, marks, approvalsRequired };
    const automaticApproval: RebalanceDecisionRecord = { decision: 'approve', decidedBy: AUTOMATIC_APPROVER, planVersion: plan.version, comment: reason, decidedAt: deps.clock.now().toISOString() };
    return { status, plan, reason, marks, approvalsRequired, automaticApproval };
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
          throw await refuse('start-rebalance', command.requestedBy, command.rebalanceId, 'the signature is missing or does not match the request');
        }
        const { status, plan, reason, approvalsRequired, automaticApproval } = await makePlan(command);
        await deps.rebalances.recordPlan(command, status, plan, reason, approvalsRequired);
        if (automaticApproval) await deps.rebalances.recordDecision(command.rebalanceId, automaticApproval);
        return { status, plan, reason, ...(approvalsRequired !== undefined && { approvalsRequired }), ...(automaticApproval && { automaticApproval }) };
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
        const { marks: _marks, ...rest } = replanned;
        const next: PlannedRebalance = { ...rest, reason: replanned.status === 'PENDING_APPROVAL' ? [reason, replanned.reason].filter((r) => r !== null).join('; ') : replanned.reason ?? reason };
        await deps.rebalances.replacePlan(command.rebalanceId, next.status, next.plan, next.reason, next.approvalsRequired);
        if (next.automaticApproval) await deps.rebalances.recordDecision(command.rebalanceId, next.automaticApproval);
        return { stale: true, replanned: next };
      });
    },

    /** An approval or a rejection is acted on only with the gateway's signature, for this rebalance; recorded and audited. */
    async acceptRebalanceDecision(rebalanceId: string, decision: RebalanceDecisionCommand): Promise<RebalanceDecisionRecord> {
      return failFast(async () => {
        if (!deps.verifier.verify('decide-rebalance', decideRebalanceSignedFields(decision), decision.signature)) {
          throw await refuse('decide-rebalance', decision.decidedBy, rebalanceId, 'the decision\'s signature is missing or does not match it');
        }
        if (decision.rebalanceId !== rebalanceId) throw await refuse('decide-rebalance', decision.decidedBy, rebalanceId, `the decision is for rebalance ${decision.rebalanceId}`);
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
          // A liquidation's legs only sell down what is held: exits, which a halt lets through.
          ...(command.purpose === 'REDUCE_RISK' && { purpose: 'EXIT' as const }),
        };
        return { leg: i + 1, command: { ...unsigned, signature: deps.signer.sign('place-order', placeOrderSignedFields(unsigned)) } };
      }));
    },

    /**
     * Whether the approved plan may trade now: always, unless the portfolio's policy respects market
     * hours and a leg's market is closed; then when every leg's market is next open at once.
     */
    async marketOpenForRebalance(command: StartRebalanceCommand, plan: RebalancePlanDto): Promise<MarketOpenCheck> {
      return failFast(async () => {
        const policy = await deps.rebalancePolicies.policyForPlanning(command.portfolioId);
        if (!policy.respectMarketHours) return { open: true };
        const symbols = [...new Set(plan.legs.map((l) => String(l.symbol)))];
        const portfolio = await deps.rebalances.portfolioForRebalance(command.portfolioId, symbols);
        const now = deps.clock.now();
        const classes = symbols.map((s) => portfolio?.instruments[s]?.assetClass ?? 'EQUITY');
        const closed = symbols.filter((_s, i) => !EXCHANGE_CALENDAR.isOpen(classes[i]!, now));
        if (closed.length === 0) return { open: true };
        const opensAt = whenAllOpen(classes, now);
        return { open: false, closed, opensAt: opensAt?.toISOString() ?? null, waitMs: opensAt === null ? null : Math.max(0, opensAt.getTime() - now.getTime()) };
      });
    },

    /**
     * A schedule's run: its command verified (the gateway signed it when the schedule was put), then
     * this tranche's own rebalance command, signed, with the id the workflow chose for it.
     */
    async issueScheduledRebalance(scheduled: ScheduledRebalanceCommand, rebalanceId: string, tranche: number): Promise<StartRebalanceCommand> {
      return failFast(async () => {
        if (!deps.verifier.verify('scheduled-rebalance', scheduledRebalanceSignedFields(scheduled), scheduled.signature)) {
          throw await refuse('scheduled-rebalance', scheduled.requestedBy, rebalanceId, 'the schedule\'s command signature is missing or does not match it');
        }
        // A run that starts (or resumes between DCA tranches) after the schedule was deleted or put again plans nothing.
        const stored = await deps.rebalancePolicies.schedule(scheduled.portfolioId);
        if (stored === null || stored.scheduleId !== scheduled.scheduleId) {
          throw await refuse('scheduled-rebalance', scheduled.requestedBy, rebalanceId, `portfolio ${scheduled.portfolioId} no longer has rebalance schedule ${scheduled.scheduleId} (deleted): its runs plan nothing`);
        }
        const sameCommand = stored.commandIssuedAt === null
          || (stored.updatedBy === scheduled.requestedBy && new Date(stored.commandIssuedAt).getTime() === new Date(scheduled.issuedAt).getTime());
        if (!sameCommand) {
          throw await refuse('scheduled-rebalance', scheduled.requestedBy, rebalanceId, `rebalance schedule ${scheduled.scheduleId} was put again by ${stored.updatedBy} at ${stored.updatedAt}: this run is of its previous version (issued ${scheduled.issuedAt}) and plans nothing`);
        }
        const unsigned: Omit<StartRebalanceCommand, 'signature'> = {
          rebalanceId, portfolioId: scheduled.portfolioId, mode: scheduled.mode, method: scheduled.method, settings: scheduled.settings,
          ...(scheduled.adjustment !== undefined && { adjustment: scheduled.adjustment }),
          approvalDeadlineSeconds: scheduled.approvalDeadlineSeconds, requestedBy: scheduled.requestedBy, issuedAt: deps.clock.now().toISOString(),
          scheduleId: scheduled.scheduleId, ...(scheduled.dca !== null && { tranche, tranches: scheduled.dca.tranches }),
        };
        return { ...unsigned, signature: deps.signer.sign('start-rebalance', startRebalanceSignedFields(unsigned)) };
      });
    },

    async recordRebalanceProgress(rebalanceId: string, status: RebalanceStatus, legs: readonly RebalanceLegOutcome[], reason: string | null, principal: string): Promise<void> {
      return failFast(() => deps.rebalances.recordProgress(rebalanceId, status, legs, reason, principal));
    },
  };
}

export type RebalanceActivities = ReturnType<typeof createRebalanceActivities>;
