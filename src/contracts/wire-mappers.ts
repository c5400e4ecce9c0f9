import type { RiskDecision } from '../domain/risk/risk-decision';
import { toWire } from '../domain/values/decimal';
import { Money } from '../domain/values/money';
import { price } from '../domain/values/price';
import { quantity } from '../domain/values/quantity';
import type { BrokerOrderReport } from '../ports/broker.port';
import type { BrokerOrderReportDto } from './broker-contracts';
import type { RiskDecisionDto } from './order-contracts';

/** Domain values to and from what crosses the Temporal and HTTP wires. Kept out of the files workflows import. */

export function toRiskDecisionDto(d: RiskDecision): RiskDecisionDto {
  return {
    approved: d.approved,
    reasons: d.reasons,
    referencePrice: d.referencePrice ? toWire(d.referencePrice) : null,
    estimatedNotional: d.estimatedNotional ? d.estimatedNotional.toWire() : null,
    evaluatedAt: d.evaluatedAt.toISOString(),
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

export function fromBrokerReportDto(dto: BrokerOrderReportDto): BrokerOrderReport {
  return {
    ...dto,
    executions: dto.executions.map((e) => ({
      executionId: e.executionId, quantity: quantity(e.quantity), price: price(e.price),
      fee: Money.of(e.fee, e.feeCurrency), executedAt: new Date(e.executedAt),
    })),
  };
}
