import type { OrderProgress, PlaceOrderCommand } from '../src/contracts/order-contracts';
import { orderWorkflowId } from '../src/contracts/workflow-ids';
import { evaluatePreTradeRisk } from '../src/domain/risk/pre-trade-engine';
import { checkAtSubmission } from '../src/domain/risk/submission-check';
import type { ExecutionCostEstimate } from '../src/domain/risk/execution-cost-estimate';
import { NO_COSTS } from '../src/domain/risk/execution-cost-estimate';
import type { Instrument } from '../src/domain/instruments/instrument';
import { price } from '../src/domain/values/price';
import { quantity } from '../src/domain/values/quantity';
import type { Clock } from '../src/ports/clock.port';
import { CommandReplayedError, type OrderToDecide, type RiskContextPort } from '../src/ports/risk-context.port';
import { Context } from '@temporalio/activity';
import { failFast } from './activity-failures';
import { createCommandAcceptance, currentExecution, type CommandAcceptanceDeps, type WorkflowExecutionRef } from './command-acceptance';

export interface RiskActivityDeps extends CommandAcceptanceDeps {
  readonly riskContext: RiskContextPort;
  readonly clock: Clock;
  /** The chosen broker's cost model: what a buy must reserve beyond its notional. */
  readonly executionCosts: (instrument: Instrument) => ExecutionCostEstimate;
  /** Told how long each decision took: the rules alone, and the whole locked transaction (the bench reports both). */
  readonly observeDecision?: (timing: DecisionTiming) => void;
}

export interface DecisionTiming {
  /** Building the context and running every rule, under the lock. */
  readonly decideMs: number;
  /** The transaction: lock, snapshot, decision, write. */
  readonly transactionMs: number;
  /** From the transaction's start to the snapshot in hand: the locks (and any wait for them) and the snapshot's read. */
  readonly lockAndSnapshotMs: number;
}

/** The command as the domain reads it; an amount that is no decimal, or a negative one, can never be processed. */
function orderToDecide(command: PlaceOrderCommand, execution: WorkflowExecutionRef): OrderToDecide {
  return {
    workflowRunId: execution.runId,
    orderId: command.orderId, workflowId: orderWorkflowId(command.orderId), portfolioId: command.portfolioId,
    clientRequestId: command.clientRequestId, symbol: command.symbol, side: command.side, type: command.type,
    quantity: quantity(command.quantity), limitPrice: command.limitPrice === null ? null : price(command.limitPrice),
    execute: command.execute, requestedBy: command.requestedBy,
    strategyId: command.strategyId ?? null, signal: command.signal ?? null,
    stopLoss: command.stops?.stopLoss ? price(command.stops.stopLoss) : null,
    takeProfit: command.stops?.takeProfit ? price(command.stops.takeProfit) : null,
    ...(command.purpose === 'EXIT' && { purpose: 'EXIT' as const }),
  };
}

/** Risk activities: pre-trade decisions, recorded under the portfolio's lock. */
export function createRiskActivities(deps: RiskActivityDeps) {
  const acceptance = createCommandAcceptance(deps);
  return {
    /**
     * Accepts the command (the gateway's signature, this workflow, not replayed), then records the
     * order and its pre-trade risk decision in one short transaction; a retry returns the stored decision.
     */
    async assessOrder(command: PlaceOrderCommand): Promise<OrderProgress> {
      const execution = currentExecution(Context.current().info);
      return failFast(async () => {
        await acceptance.acceptPlaceOrder(command, execution);
        try {
          const started = performance.now();
          let decideMs = 0;
          let lockAndSnapshotMs = 0;
          const progress = await deps.riskContext.decideUnderLock(orderToDecide(command, execution), (snapshot) => {
            const decideStarted = performance.now();
            lockAndSnapshotMs = decideStarted - started;
            const decision = evaluatePreTradeRisk({
              ...snapshot,
              costs: snapshot.instrument ? deps.executionCosts(snapshot.instrument) : NO_COSTS,
              asOf: deps.clock.now(),
            });
            decideMs = performance.now() - decideStarted;
            return decision;
          });
          deps.observeDecision?.({ decideMs, transactionMs: performance.now() - started, lockAndSnapshotMs });
          return progress;
        } catch (err) {
          if (err instanceof CommandReplayedError) throw await acceptance.refuseReplay(command, execution, err.recordedRunId);
          throw err;
        }
      });
    },

    /** The last check before the broker (price collar against the quote as it is now); a failing order becomes REJECTED. */
    async confirmAtSubmission(orderId: string): Promise<OrderProgress> {
      return failFast(() => deps.riskContext.confirmAtSubmission(orderId, (input) => checkAtSubmission({ ...input, asOf: deps.clock.now() })));
    },
  };
}

export type RiskActivities = ReturnType<typeof createRiskActivities>;
