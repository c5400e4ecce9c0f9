import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { createPortfoliosRepository } from '../../src/adapters/db/portfolios.repository';
import { Money } from '../../src/domain/values/money';
import { price } from '../../src/domain/values/price';
import { quantity } from '../../src/domain/values/quantity';
import type { OrderToDecide } from '../../src/ports/risk-context.port';

/** A new portfolio with default limits and this much USD cash. */
export async function newPortfolio(db: Knex, cash: string): Promise<string> {
  const id = randomUUID();
  await createPortfoliosRepository(db).createPortfolio({ id, accountId: 'paper', name: 't', initialCash: Money.of(cash, 'USD'), createdBy: 'test' });
  return id;
}

export function orderToDecide(portfolioId: string, over: Partial<Omit<OrderToDecide, 'quantity' | 'limitPrice'>> & { quantity?: string; limitPrice?: string } = {}): OrderToDecide {
  const orderId = over.orderId ?? randomUUID();
  const { quantity: qty = '1', limitPrice, ...rest } = over;
  return {
    orderId, workflowId: `order-${orderId}`, workflowRunId: 'run-1', portfolioId, clientRequestId: null, symbol: 'AAPL', side: 'BUY', type: 'MARKET',
    execute: true, requestedBy: 'test', strategyId: null, signal: null, stopLoss: null, takeProfit: null, ...rest, quantity: quantity(qty), limitPrice: limitPrice === undefined ? null : price(limitPrice),
  };
}
