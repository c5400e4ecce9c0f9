import type { OrderSide, OrderType } from '../domain/orders/order';
import type { DecimalString } from '../domain/values/decimal';
import type { BrokerOrderStatus, OrderKey } from '../ports/broker.port';

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
    readonly feeCurrency: string;
    readonly executedAt: string;
  }>;
  readonly rejectReason: string | null;
}

/** What the order workflow asks the broker activity to send. */
export interface BrokerSubmission {
  readonly orderKey: OrderKey;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: DecimalString;
  readonly limitPrice: DecimalString | null;
}
