import { ApplicationFailure, Context } from '@temporalio/activity';
import { exitCommandSignedFields, placeOrderSignedFields, startExitSignedFields } from '../src/contracts/command-signatures';
import { exitStateFromDto, exitStateToDto, type ExitStateDto } from '../src/contracts/exit-contracts';
import { EXIT_MESSAGE_FAILURES, type ExitCommand, type ExitStep, type ExitTrancheOrder, type StartExitCommand } from '../src/contracts/exit-workflow-contracts';
import type { OrderProgress, PlaceOrderCommand } from '../src/contracts/order-contracts';
import { orderIdForClientRequest } from '../src/contracts/order-ids';
import { exitWorkflowId } from '../src/contracts/workflow-ids';
import {
  amendExit, applyTrancheOutcome, closeNow, ExitPlanError, limitToPosition, nextTriggers, onMarket, onTime, pauseExit, resolveExitPlanSpec, resumeExit, startExit, withDynamicStops,
  type ExitState, type ExitTranche,
} from '../src/domain/exits';
import { price } from '../src/domain/values/price';
import { quantity } from '../src/domain/values/quantity';
import type { AuditLog } from '../src/ports/audit.port';
import type { Clock } from '../src/ports/clock.port';
import type { CommandKind, CommandSigner, CommandVerifier } from '../src/ports/command-signature.port';
import type { ExitsStore, PositionForExit } from '../src/ports/exits.port';
import type { MarketDataReader } from '../src/ports/market-data.port';
import { failFast } from './activity-failures';
import { COMMAND_MAX_AGE_MS, currentExecution, refuseCommand } from './command-acceptance';

export interface ExitActivityDeps {
  readonly exits: ExitsStore;
  readonly marketData: Pick<MarketDataReader, 'findQuote'>;
  readonly verifier: CommandVerifier;
  /** Signs the tranches' order commands (the same key the gateway signs with). */
  readonly signer: CommandSigner;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

/** The exit bounded by what the books hold of its position now (a closed one holds nothing). */
const heldBy = (state: ExitState, position: PositionForExit | null): ExitState =>
  position === null ? state : limitToPosition(state, quantity(position.status === 'CLOSED' ? '0' : position.quantity));

/** The exit workflow's steps: each reads what it needs, runs the pure exit plan, stores the state and its next triggers. */
export function createExitActivities(deps: ExitActivityDeps) {
  /** Refuses a command about this position's exit: audited in the name it claims, then failed non-retryably. */
  const refuse = (kind: CommandKind, principal: string, positionId: string, reason: string) =>
    refuseCommand(deps.audit, kind, { type: 'position', id: positionId }, principal, reason, currentExecution(Context.current().info));

  /** Stores the state with the levels that wake it next (nextTriggers has none while paused or closed). */
  async function save(start: StartExitCommand, state: ExitState): Promise<ExitStateDto> {
    const dto = exitStateToDto(state);
    await deps.exits.saveExit({
      positionId: start.positionId, workflowId: exitWorkflowId(start.positionId), portfolioId: start.portfolioId, symbol: start.symbol,
      direction: state.plan.direction, status: state.status, triggers: nextTriggers(state), state: dto, startedBy: start.requestedBy,
    });
    return dto;
  }

  /** Records a tranche as it stands in the state, with its order and that order's status. */
  async function recordTranche(start: StartExitCommand, state: ExitState, trancheId: string, orderId: string, status: string): Promise<void> {
    const t = state.tranches.find((x) => x.id === trancheId)!;
    await deps.exits.recordTranche(start.positionId, {
      trancheId, orderId, reason: t.reason, quantity: t.quantity, triggerPrice: t.triggerPrice, filledQuantity: t.filledQuantity,
      averagePrice: t.averagePrice, realizedPnl: t.realizedPnl, status,
    });
  }

  /** Each tranche becomes a market order through the full order path (purpose EXIT), its id derived from the position and the tranche. */
  function ordersFor(start: StartExitCommand, state: ExitState, tranches: readonly ExitTranche[]): ExitTrancheOrder[] {
    return tranches.map((t) => {
      const clientRequestId = `exit-${start.positionId}-${t.id}`;
      const unsigned: Omit<PlaceOrderCommand, 'signature'> = {
        orderId: orderIdForClientRequest(start.portfolioId, clientRequestId), portfolioId: start.portfolioId, clientRequestId, symbol: start.symbol,
        side: state.plan.direction === 'LONG' ? 'SELL' : 'BUY', type: 'MARKET', quantity: t.quantity.toFixed(), limitPrice: null, execute: true,
        requestedBy: start.requestedBy, issuedAt: deps.clock.now().toISOString(),
        // Exits reduce risk: they pass a HALTED portfolio or account as long as they only shrink the position.
        purpose: 'EXIT',
      };
      return { trancheId: t.id, order: { ...unsigned, signature: deps.signer.sign('place-order', placeOrderSignedFields(unsigned)) } };
    });
  }

  async function step(start: StartExitCommand, result: { state: ExitState; orders: readonly ExitTranche[] }): Promise<ExitStep> {
    const orders = ordersFor(start, result.state, result.orders);
    for (const { trancheId, order } of orders) await recordTranche(start, result.state, trancheId, order.orderId, 'PENDING');
    return { state: await save(start, result.state), orders };
  }

  return {
    /** The signed start of the exit workflow for the position an order with an exit plan built (null: the order left no position). */
    async prepareExitForOrder(order: PlaceOrderCommand): Promise<StartExitCommand | null> {
      return failFast(async () => {
        const positionId = await deps.exits.livePositionId(order.portfolioId, order.symbol);
        if (positionId === null || order.exitPlan === undefined) return null;
        const unsigned: Omit<StartExitCommand, 'signature'> = {
          positionId, portfolioId: order.portfolioId, symbol: order.symbol, plan: order.exitPlan, closeNow: false, requestedBy: order.requestedBy, issuedAt: deps.clock.now().toISOString(),
        };
        return { ...unsigned, signature: deps.signer.sign('start-exit', startExitSignedFields(unsigned)) };
      });
    },

    /**
     * Verifies the start (the gateway's or the worker's signature, for this position's workflow),
     * resolves the plan against the live position and stores it with its first triggers. A close
     * now yields its tranche at once.
     */
    async beginExit(start: StartExitCommand): Promise<ExitStep> {
      return failFast(async () => {
        const execution = currentExecution(Context.current().info);
        if (!deps.verifier.verify('start-exit', startExitSignedFields(start), start.signature)) {
          throw await refuse('start-exit', start.requestedBy, start.positionId, 'the signature is missing or does not match the command');
        }
        if (exitWorkflowId(start.positionId) !== execution.workflowId) {
          throw await refuse('start-exit', start.requestedBy, start.positionId, `the command is for ${exitWorkflowId(start.positionId)}, not ${execution.workflowId}`);
        }
        const position = await deps.exits.findPosition(start.positionId);
        if (position === null || position.status === 'CLOSED' || position.portfolioId !== start.portfolioId) {
          throw ApplicationFailure.nonRetryable(`position ${start.positionId} is not open in portfolio ${start.portfolioId}`, EXIT_MESSAGE_FAILURES.ExitClosed);
        }
        let plan;
        try {
          plan = resolveExitPlanSpec(start.plan, {
            direction: position.direction, entryPrice: position.entryPrice, quantity: quantity(position.openedQuantity), openedAt: position.openedAt,
            tickSize: position.instrument.tickSize, lotSize: position.instrument.lotSize,
          }, null); // the gateway measured any dynamic stop already: the plan carries distances

        } catch (err) {
          if (err instanceof ExitPlanError) throw ApplicationFailure.nonRetryable(err.message, EXIT_MESSAGE_FAILURES.ExitCommandRefused);
          throw err;
        }
        // A position already partly reduced exits only what is left of it.
        let state = startExit(plan);
        if (position.quantity.lt(position.openedQuantity)) state = { ...state, remaining: quantity(position.quantity) };
        await deps.audit.record({ principal: start.requestedBy, action: 'exit.started', entityType: 'position', entityId: start.positionId, details: { plan: start.plan, closeNow: start.closeNow } });
        return step(start, start.closeNow ? closeNow(state) : { state, orders: [] });
      });
    },

    /**
     * Looks at the market: the tranches a trigger crossed (or the time exit) are sent now. Without a
     * quote only the clock can act (the time exit: its order meets the risk engine's missing quote).
     */
    async advanceExit(start: StartExitCommand, current: ExitStateDto): Promise<ExitStep> {
      return failFast(async () => {
        const [sourced, position] = await Promise.all([deps.marketData.findQuote(start.symbol), deps.exits.findPosition(start.positionId)]);
        const state = heldBy(exitStateFromDto(current), position);
        const now = deps.clock.now();
        return step(start, sourced === null ? onTime(state, now) : onMarket(state, { bid: sourced.quote.bid, ask: sourced.quote.ask, asOf: now }));
      });
    },

    /** A person's command (signed by the gateway, for this position, just issued): amend, close now, pause, resume. */
    async applyExitCommand(start: StartExitCommand, current: ExitStateDto, command: ExitCommand): Promise<ExitStep> {
      return failFast(async () => {
        if (!deps.verifier.verify('exit-command', exitCommandSignedFields(command), command.signature)) {
          throw await refuse('exit-command', command.requestedBy, start.positionId, 'the signature is missing or does not match the command');
        }
        if (command.positionId !== start.positionId) throw await refuse('exit-command', command.requestedBy, start.positionId, `the command is for position ${command.positionId}`);
        const age = deps.clock.now().getTime() - new Date(command.issuedAt).getTime();
        if (!(age <= COMMAND_MAX_AGE_MS)) throw await refuse('exit-command', command.requestedBy, start.positionId, `the command was issued at ${command.issuedAt}: a replay`);
        const state = command.action === 'close' ? heldBy(exitStateFromDto(current), await deps.exits.findPosition(start.positionId)) : exitStateFromDto(current);
        let result: { state: ExitState; orders: readonly ExitTranche[] };
        try {
          switch (command.action) {
            case 'amend': result = { state: amendExit(state, withDynamicStops(command.amendment ?? {}, null)), orders: [] }; break;
            case 'close': result = closeNow(state); break;
            case 'pause': result = { state: pauseExit(state), orders: [] }; break;
            case 'resume': result = { state: resumeExit(state), orders: [] }; break;
          }
        } catch (err) {
          if (err instanceof ExitPlanError) throw ApplicationFailure.nonRetryable(err.message, EXIT_MESSAGE_FAILURES.ExitCommandRefused, { field: err.field, rule: err.rule });
          throw err;
        }
        await deps.audit.record({ principal: command.requestedBy, action: `exit.${command.action}`, entityType: 'position', entityId: start.positionId, details: { amendment: command.amendment } });
        return step(start, result);
      });
    },

    /** What a tranche's order did: its fill (or none) goes into the exit's state and the tranche's record. */
    async recordTrancheOutcome(start: StartExitCommand, current: ExitStateDto, trancheId: string, order: OrderProgress): Promise<ExitStateDto> {
      return failFast(async () => {
        const state = applyTrancheOutcome(exitStateFromDto(current), trancheId, {
          filledQuantity: quantity(order.filledQuantity), averagePrice: order.averageFillPrice === null ? null : price(order.averageFillPrice),
        });
        await recordTranche(start, state, trancheId, order.orderId, order.status);
        if (state.status === 'CLOSED') {
          await deps.audit.record({ principal: 'system', action: 'exit.completed', entityType: 'position', entityId: start.positionId, details: { realizedPnl: state.realizedPnl.toFixed() } });
        }
        return save(start, state);
      });
    },
  };
}

export type ExitActivities = ReturnType<typeof createExitActivities>;
