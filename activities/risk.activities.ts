import type { OrderProgress, PlaceOrderCommand } from '../src/contracts/order-contracts';
import { orderWorkflowId } from '../src/contracts/workflow-ids';
import { evaluatePreTradeRisk } from '../src/domain/risk/pre-trade-engine';
import type { ExecutionCostEstimate } from '../src/domain/risk/execution-cost-estimate';
import { NO_COSTS } from '../src/domain/risk/execution-cost-estimate';
import type { Instrument } from '../src/domain/instruments/instrument';
import { price } from '../src/domain/values/price';
import { quantity } from '../src/domain/values/quantity';
import type { Clock } from '../src/ports/clock.port';
import type { OrderToDecide, RiskContextPort } from '../src/ports/risk-context.port';
import { failFast } from './activity-failures';

export interface RiskActivityDeps {
  readonly riskContext: RiskContextPort;
  readonly clock: Clock;
  /** The chosen broker's cost model: what a buy must reserve beyond its notional. */
  readonly executionCosts: (instrument: Instrument) => ExecutionCostEstimate;
}

/** The command as the domain reads it; an amount that is no decimal, or a negative one, can never be processed. */
function orderToDecide(command: PlaceOrderCommand): OrderToDecide {
  return {
    orderId: command.orderId, workflowId: orderWorkflowId(command.orderId), portfolioId: command.portfolioId,
    clientRequestId: command.clientRequestId, symbol: command.symbol, side: command.side, type: command.type,
    quantity: quantity(command.quantity), limitPrice: command.limitPrice === null ? null : price(command.limitPrice),
    execute: command.execute, requestedBy: command.requestedBy,
  };
}

/** Risk activities: pre-trade decisions, recorded under the portfolio's lock. */
export function createRiskActivities(deps: RiskActivityDeps) {
  return {
    /** Records the order and its pre-trade risk decision (one short transaction; a retry returns the stored decision). */
    async assessOrder(command: PlaceOrderCommand): Promise<OrderProgress> {
      return failFast(() => deps.riskContext.decideUnderLock(orderToDecide(command), (snapshot) => evaluatePreTradeRisk({
        ...snapshot,
        costs: snapshot.instrument ? deps.executionCosts(snapshot.instrument) : NO_COSTS,
        asOf: deps.clock.now(),
      })));
    },
  };
}

export type RiskActivities = ReturnType<typeof createRiskActivities>;
