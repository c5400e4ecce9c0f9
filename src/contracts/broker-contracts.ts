import type { OrderSide, OrderType } from '../domain/orders/order';
import type { DecimalString } from '../domain/values/decimal';
import type { BrokerOrderStatus, OrderKey } from '../ports/broker.port';
import type { OrderProgress } from './order-contracts';

/** A broker report as it travels through Temporal payloads: decimals as strings, times as ISO strings. */
export interface BrokerOrderReportDto {
  readonly clientOrderId: string;
  readonly brokerOrderId: string;
  readonly status: BrokerOrderStatus;
  readonly executions: ReadonlyArray<{
    readonly executionId: string;
    readonly quantity: DecimalString;
    readonly price: DecimalString;
    readonly fee: DecimalString;
    /** Absent from reports recorded before fees carried their currency. */
    readonly feeCurrency?: string;
    readonly executedAt: string;
  }>;
  readonly rejectReason: string | null;
}

/**
 * How a workflow names its order at the broker: the order key, or, in activities scheduled before
 * the key existed, the paper venue's client order id `<workflowId>-leg<n>`.
 */
export type BrokerOrderRef = OrderKey | string;

/** What the order workflow asks the broker activity to send (`clientOrderId` instead of `orderKey` in submissions scheduled before the key existed). */
export interface BrokerSubmission {
  readonly orderKey?: OrderKey;
  readonly clientOrderId?: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: DecimalString;
  readonly limitPrice: DecimalString | null;
}

/**
 * What the step that checks an order at submission, sends it and books the broker's answer reports:
 * SENT (the order as booked after the broker's report) or STOPPED by the check (REJECTED, with the reasons).
 */
export interface CheckedSubmissionDto {
  readonly kind: 'SENT' | 'STOPPED';
  readonly progress: OrderProgress;
}
