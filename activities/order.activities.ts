import { ApplicationFailure } from '@temporalio/activity';
import type { BrokerOrderReportDto, BrokerSubmission } from '../src/contracts/broker-contracts';
import type { OrderProgress, PlaceOrderCommand } from '../src/contracts/order-contracts';
import { orderWorkflowId } from '../src/contracts/workflow-ids';
import type { OrdersRepository } from '../src/adapters/db/orders.repository';
import { evaluatePreTradeRisk } from '../src/domain/risk/pre-trade-checks';
import { dec, toWire } from '../src/domain/values/decimal';
import type { ExecutionCostEstimate } from '../src/domain/risk/execution-cost-estimate';
import type { BrokerOrderReport, BrokerPort } from '../src/ports/broker.port';
import type { Clock } from '../src/ports/clock.port';

export interface OrderActivityDeps {
  readonly orders: OrdersRepository;
  readonly broker: BrokerPort;
  readonly clock: Clock;
  /** Fees and slippage reserved from cash when a buy is assessed. */
  readonly costEstimate: ExecutionCostEstimate;
}

function toReportDto(report: BrokerOrderReport): BrokerOrderReportDto {
  return {
    clientOrderId: report.clientOrderId,
    brokerOrderId: report.brokerOrderId,
    status: report.status,
    rejectReason: report.rejectReason,
    executions: report.executions.map((e) => ({
      executionId: e.executionId, quantity: toWire(e.quantity), price: toWire(e.price), fee: toWire(e.fee), executedAt: e.executedAt.toISOString(),
    })),
  };
}

function fromReportDto(dto: BrokerOrderReportDto): BrokerOrderReport {
  return {
    ...dto,
    executions: dto.executions.map((e) => ({ executionId: e.executionId, quantity: dec(e.quantity), price: dec(e.price), fee: dec(e.fee), executedAt: new Date(e.executedAt) })),
  };
}

/**
 * A value the database refuses (SQLSTATE class 22, data exception, or 23, integrity violation) is
 * refused again on every retry: fail at once, visibly, instead of retrying forever.
 */
async function failFastOnRejectedData<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && /^2[23]/.test(code)) {
      throw ApplicationFailure.nonRetryable(`the database refused the data (SQLSTATE ${code}): ${(err as Error).message}`, 'DataRejected');
    }
    throw err;
  }
}

/** Order activities: each one side effect, each safe to retry. */
export function createOrderActivities(deps: OrderActivityDeps) {
  return {
    /** Records the order and its pre-trade risk decision (one transaction; a retry returns the stored decision). */
    async assessOrder(command: PlaceOrderCommand): Promise<OrderProgress> {
      return failFastOnRejectedData(() => deps.orders.recordOrderDecision(command, orderWorkflowId(command.orderId), (snapshot) =>
        evaluatePreTradeRisk({ ...snapshot, costs: deps.costEstimate, asOf: deps.clock.now() })));
    },

    /** Sends the order to the broker; idempotent on the client order id. */
    async submitOrderToBroker(submission: BrokerSubmission): Promise<BrokerOrderReportDto> {
      const report = await deps.broker.submitOrder({
        ...submission, quantity: dec(submission.quantity), limitPrice: submission.limitPrice === null ? null : dec(submission.limitPrice),
      });
      return toReportDto(report);
    },

    /** Asks the broker where the order stands (a resting paper order is matched against the latest quote). */
    async refreshBrokerOrder(clientOrderId: string): Promise<BrokerOrderReportDto | null> {
      const report = await deps.broker.refreshOrder(clientOrderId);
      return report === null ? null : toReportDto(report);
    },

    async cancelBrokerOrder(clientOrderId: string): Promise<BrokerOrderReportDto> {
      return toReportDto(await deps.broker.cancelOrder(clientOrderId));
    },

    /** Books the broker's report: fills, positions, cash and ledger in one transaction, each execution once. */
    async bookBrokerReport(orderId: string, report: BrokerOrderReportDto): Promise<OrderProgress> {
      return failFastOnRejectedData(() => deps.orders.bookBrokerReport(orderId, fromReportDto(report)));
    },
  };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;
