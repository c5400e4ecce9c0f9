import type { OrderSide, OrderType } from '../domain/orders/order';
import type { DecimalString } from '../domain/values/decimal';

/** A broker report as it travels through Temporal payloads: decimals as strings, times as ISO strings. */
export interface BrokerOrderReportDto {
  readonly clientOrderId: string;
  readonly brokerOrderId: string;
  readonly status: 'WORKING' | 'FILLED' | 'CANCELLED' | 'REJECTED';
  readonly executions: ReadonlyArray<{ executionId: string; quantity: DecimalString; price: DecimalString; fee: DecimalString; executedAt: string }>;
  readonly rejectReason: string | null;
}

export interface BrokerSubmission {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: DecimalString;
  readonly limitPrice: DecimalString | null;
}
