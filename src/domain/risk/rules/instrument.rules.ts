import { isMultipleOf, toWire } from '../../values/decimal';
import { riskReason } from '../risk-decision';
import { PASS, type PreTradeRule } from './pre-trade-rule';

export const knownInstrument: PreTradeRule = ({ order, instrument }) =>
  instrument !== null ? PASS : [riskReason('UNKNOWN_INSTRUMENT', `${order.symbol} is not a known instrument`)];

/** No conversion exists yet: an instrument quoted in another currency cannot be valued against the cash. */
export const instrumentInBaseCurrency: PreTradeRule = ({ order, instrument, portfolio }) =>
  instrument === null || instrument.currency === portfolio.baseCurrency ? PASS
    : [riskReason('CURRENCY_MISMATCH', `${order.symbol} is quoted in ${instrument.currency}; the portfolio's base currency is ${portfolio.baseCurrency}`)];

export const wholeLots: PreTradeRule = ({ order, instrument }) =>
  instrument === null || !order.quantity.gt(0) || isMultipleOf(order.quantity, instrument.lotSize) ? PASS
    : [riskReason('LOT_SIZE', `quantity must be a multiple of the lot size ${toWire(instrument.lotSize)}`, instrument.lotSize, order.quantity)];

export const limitPriceOnTick: PreTradeRule = ({ order, instrument }) =>
  instrument === null || order.limitPrice === undefined || !order.limitPrice.gt(0) || isMultipleOf(order.limitPrice, instrument.tickSize) ? PASS
    : [riskReason('PRICE_TICK_SIZE', `limit price must be a multiple of the tick size ${toWire(instrument.tickSize)}`, instrument.tickSize, order.limitPrice)];

/** Closing a position is exempt: a remainder below the minimum could otherwise never be sold. */
export const minimumNotional: PreTradeRule = ({ instrument, pricing, closesPosition }) =>
  instrument === null || pricing === null || closesPosition || pricing.notional.gte(instrument.minNotional) ? PASS
    : [riskReason('MIN_NOTIONAL', `order value ${pricing.notional.toWire()} is below the minimum ${instrument.minNotional.toWire()}`, instrument.minNotional, pricing.notional)];
