import type { RiskDecision } from '../domain/risk/risk-decision';
import { dec, toWire } from '../domain/values/decimal';
import { price } from '../domain/values/price';
import { quantity } from '../domain/values/quantity';
import type { ReportToBook } from '../ports/books.port';
import type { BrokerOrderReport, OrderKey } from '../ports/broker.port';
import type { BrokerOrderRef, BrokerOrderReportDto, BrokerSubmission } from './broker-contracts';
import type { RiskDecisionDto } from './order-contracts';

/** Domain values to and from what crosses the Temporal and HTTP wires. Kept out of the files workflows import. */

export function toRiskDecisionDto(d: RiskDecision): RiskDecisionDto {
  return {
    approved: d.approved,
    reasons: d.reasons,
    referencePrice: d.referencePrice ? toWire(d.referencePrice) : null,
    estimatedNotional: d.estimatedNotional ? d.estimatedNotional.toWire() : null,
    evaluatedAt: d.evaluatedAt.toISOString(),
    ...(d.notes !== undefined && { notes: d.notes }),
    ...(d.signal !== undefined && { signal: {
      ...d.signal, expectedEdge: d.signal.expectedEdge?.toWire() ?? null, expectedCost: d.signal.expectedCost?.toWire() ?? null,
    } }),
  };
}

export function toBrokerReportDto(report: BrokerOrderReport): BrokerOrderReportDto {
  return {
    clientOrderId: report.clientOrderId,
    brokerOrderId: report.brokerOrderId,
    status: report.status,
    rejectReason: report.rejectReason,
    executions: report.executions.map((e) => ({
      executionId: e.executionId, quantity: toWire(e.quantity), price: toWire(e.price),
      fee: e.fee.toWire(), feeCurrency: e.fee.currency, executedAt: e.executedAt.toISOString(),
    })),
  };
}

export function toReportToBook(dto: BrokerOrderReportDto): ReportToBook {
  return {
    clientOrderId: dto.clientOrderId,
    status: dto.status,
    rejectReason: dto.rejectReason,
    executions: dto.executions.map((e) => ({
      executionId: e.executionId, quantity: quantity(e.quantity), price: price(e.price),
      fee: dec(e.fee), feeCurrency: e.feeCurrency ?? null, executedAt: new Date(e.executedAt),
    })),
  };
}

export class InvalidOrderRefError extends Error {
  readonly code = 'INVALID_ORDER_REF';
  override readonly name = 'InvalidOrderRefError';
  constructor(readonly ref: unknown) {
    super(`not an order key nor a client order id of the form <workflowId>-leg<n>: ${JSON.stringify(ref)}`);
  }
}

/** The order key a workflow sent, also from the client order id that activities scheduled before the key carried. */
export function toOrderKey(ref: BrokerOrderRef | BrokerSubmission): OrderKey {
  const value = typeof ref === 'string' ? ref : 'symbol' in ref ? (ref.orderKey ?? ref.clientOrderId) : ref;
  if (typeof value === 'string') {
    const match = /^(.+)-leg([1-9]\d*)$/.exec(value);
    if (!match) throw new InvalidOrderRefError(value);
    return { workflowId: match[1]!, leg: Number(match[2]) };
  }
  if (value && typeof value.workflowId === 'string' && Number.isInteger(value.leg) && value.leg > 0) return { workflowId: value.workflowId, leg: value.leg };
  throw new InvalidOrderRefError(value);
}
