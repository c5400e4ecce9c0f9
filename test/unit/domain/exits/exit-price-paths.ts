import type { ExitPlanRequestDto, ExitPositionDto } from '../../../../src/contracts/exit-contracts';
import { exitPositionFromDto } from '../../../../src/contracts/exit-contracts';
import { resolveExitPlanSpec } from '../../../../src/domain/exits/exit-plan-request';
import { applyTrancheOutcome, onMarket, startExit, type ExitReason, type ExitState } from '../../../../src/domain/exits/exit-state';
import { price } from '../../../../src/domain/values/price';

/**
 * Scripted price paths with hand-computed exits, shared by the domain's unit test and the exit
 * workflow's end-to-end test. Every tranche is assumed to fill in full at the quote that
 * triggered it, at its bid (a long sells) or its ask (a short buys back). `atSecond` is the
 * quote's time after the position opened (only the time exit depends on it).
 *
 * All paths: entry 100.00, quantity 100, tick 0.01, lot 1. The arbitrage preset: stop 99.50
 * (100.50 short), take-profit 101.00 (99.00 short), levels of 25 at +0.5 %, +0.8 %, +1.2 %,
 * +1.5 % (100.50, 100.80, 101.20, 101.50; short 99.50, 99.20, 98.80, 98.50) moving the stop to
 * +0.2 %, +0.3 %, +0.5 %, +0.8 %, trailing 0.2 % from the best price once 0.5 % in profit.
 */
export interface ExitPricePathQuote {
  readonly bid: string;
  readonly ask: string;
  readonly atSecond: number;
}

export interface ExitPricePathTranche {
  readonly id: string;
  readonly reason: ExitReason;
  readonly quantity: string;
  /** The fill price: the triggering quote's bid (long) or ask (short). */
  readonly price: string;
}

export interface ExitPricePath {
  readonly name: string;
  readonly request: ExitPlanRequestDto;
  readonly position: ExitPositionDto;
  readonly quotes: readonly ExitPricePathQuote[];
  readonly expected: { readonly tranches: readonly ExitPricePathTranche[]; readonly realizedPnl: string };
}

const OPENED_AT = '2024-01-02T14:30:00.000Z';
const long: ExitPositionDto = { direction: 'LONG', entryPrice: '100.00', quantity: '100', openedAt: OPENED_AT, tickSize: '0.01', lotSize: '1' };
const short: ExitPositionDto = { ...long, direction: 'SHORT' };
/** The arbitrage preset with its take-profit moved out of the ladder's way, so every level can fire. */
const fullLadder: ExitPlanRequestDto = { preset: 'arbitrage', takeProfit: { pct: '0.02' } };

/** Quotes one tick wide: a long's path gives bids, a short's gives asks. */
const bids = (...values: string[]): ExitPricePathQuote[] => values.map((bid, i) => ({ bid, ask: price(bid).plus('0.01').toFixed(2), atSecond: i }));
const asks = (...values: string[]): ExitPricePathQuote[] => values.map((ask, i) => ({ bid: price(ask).minus('0.01').toFixed(2), ask, atSecond: i }));

export const EXIT_PRICE_PATHS: readonly ExitPricePath[] = [
  {
    // Stops after each level: 100.29 (trailing 100.50 × 0.998 floored), 100.59, 100.79, 100.99.
    name: 'a long up through every level (arbitrage preset, take-profit at 2 %)',
    request: fullLadder,
    position: long,
    quotes: bids('100.20', '100.50', '100.80', '101.00', '101.20', '101.50'),
    expected: {
      tranches: [
        { id: 'L1', reason: 'TARGET', quantity: '25', price: '100.5' },
        { id: 'L2', reason: 'TARGET', quantity: '25', price: '100.8' },
        { id: 'L3', reason: 'TARGET', quantity: '25', price: '101.2' },
        { id: 'L4', reason: 'TARGET', quantity: '25', price: '101.5' },
      ],
      // 25 × (0.5 + 0.8 + 1.2 + 1.5)
      realizedPnl: '100',
    },
  },
  {
    name: 'a long under the plain arbitrage preset: the 1 % take-profit closes what the first two levels leave',
    request: { preset: 'arbitrage' },
    position: long,
    quotes: bids('100.50', '100.80', '101.00'),
    expected: {
      tranches: [
        { id: 'L1', reason: 'TARGET', quantity: '25', price: '100.5' },
        { id: 'L2', reason: 'TARGET', quantity: '25', price: '100.8' },
        { id: 'TP', reason: 'TAKE_PROFIT', quantity: '50', price: '101' },
      ],
      // 25 × 0.5 + 25 × 0.8 + 50 × 1
      realizedPnl: '82.5',
    },
  },
  {
    // After 100.90 the trailing stop is 100.90 × 0.998 = 100.6982, floored to 100.69.
    name: 'a long up then reversal into the trailing stop',
    request: fullLadder,
    position: long,
    quotes: bids('100.50', '100.90', '100.75', '100.69'),
    expected: {
      tranches: [
        { id: 'L1', reason: 'TARGET', quantity: '25', price: '100.5' },
        { id: 'L2', reason: 'TARGET', quantity: '25', price: '100.9' },
        { id: 'STOP-1', reason: 'TRAILING_STOP', quantity: '50', price: '100.69' },
      ],
      // 25 × 0.5 + 25 × 0.9 + 50 × 0.69
      realizedPnl: '69.5',
    },
  },
  {
    // 101.30 passes L1, L2 and L3 at once; the trailing stop becomes 101.30 × 0.998 = 101.0974 → 101.09.
    name: 'a long gapping through three levels at once, then into the trailing stop',
    request: fullLadder,
    position: long,
    quotes: bids('100.10', '101.30', '101.00'),
    expected: {
      tranches: [
        { id: 'L1', reason: 'TARGET', quantity: '25', price: '101.3' },
        { id: 'L2', reason: 'TARGET', quantity: '25', price: '101.3' },
        { id: 'L3', reason: 'TARGET', quantity: '25', price: '101.3' },
        { id: 'STOP-1', reason: 'TRAILING_STOP', quantity: '25', price: '101' },
      ],
      // 75 × 1.30 + 25 × 1.00
      realizedPnl: '122.5',
    },
  },
  {
    name: 'a long straight to the stop (gapping through it)',
    request: { preset: 'arbitrage' },
    position: long,
    quotes: bids('99.80', '99.45'),
    expected: { tranches: [{ id: 'STOP-1', reason: 'STOP_LOSS', quantity: '100', price: '99.45' }], realizedPnl: '-55' },
  },
  {
    // R = 100 − 99 = 1: levels at 102, 103, 105; an equal split floors 33.33 to 33, the last takes 34.
    name: 'a long with an R-multiple ladder (1:2, 1:3, 1:5)',
    request: { stopLoss: { pct: '0.01' }, rMultiples: { multiples: ['2', '3', '5'] } },
    position: long,
    quotes: bids('101.50', '102.00', '103.00', '104.00', '105.00'),
    expected: {
      tranches: [
        { id: 'L1', reason: 'TARGET', quantity: '33', price: '102' },
        { id: 'L2', reason: 'TARGET', quantity: '33', price: '103' },
        { id: 'L3', reason: 'TARGET', quantity: '34', price: '105' },
      ],
      // 33 × 2 + 33 × 3 + 34 × 5
      realizedPnl: '335',
    },
  },
  {
    // Stops after each level: 99.70 (trailing 99.50 × 1.002 = 99.699 ceiled), 99.40, 99.00, -.
    name: 'a short down through every level (arbitrage preset, take-profit at 2 %)',
    request: fullLadder,
    position: short,
    quotes: asks('99.80', '99.50', '99.20', '98.80', '98.50'),
    expected: {
      tranches: [
        { id: 'L1', reason: 'TARGET', quantity: '25', price: '99.5' },
        { id: 'L2', reason: 'TARGET', quantity: '25', price: '99.2' },
        { id: 'L3', reason: 'TARGET', quantity: '25', price: '98.8' },
        { id: 'L4', reason: 'TARGET', quantity: '25', price: '98.5' },
      ],
      realizedPnl: '100',
    },
  },
  {
    // After 99.10 the trailing stop is 99.10 × 1.002 = 99.2982, ceiled to 99.30.
    name: 'a short down then reversal into the trailing stop',
    request: fullLadder,
    position: short,
    quotes: asks('99.50', '99.10', '99.25', '99.30'),
    expected: {
      tranches: [
        { id: 'L1', reason: 'TARGET', quantity: '25', price: '99.5' },
        { id: 'L2', reason: 'TARGET', quantity: '25', price: '99.1' },
        { id: 'STOP-1', reason: 'TRAILING_STOP', quantity: '50', price: '99.3' },
      ],
      // 25 × 0.5 + 25 × 0.9 + 50 × 0.7
      realizedPnl: '70',
    },
  },
  {
    // 98.70 passes L1, L2 and L3 at once; the trailing stop becomes 98.70 × 1.002 = 98.8974 → 98.90.
    name: 'a short gapping through three levels at once, then into the trailing stop',
    request: fullLadder,
    position: short,
    quotes: asks('99.90', '98.70', '99.00'),
    expected: {
      tranches: [
        { id: 'L1', reason: 'TARGET', quantity: '25', price: '98.7' },
        { id: 'L2', reason: 'TARGET', quantity: '25', price: '98.7' },
        { id: 'L3', reason: 'TARGET', quantity: '25', price: '98.7' },
        { id: 'STOP-1', reason: 'TRAILING_STOP', quantity: '25', price: '99' },
      ],
      realizedPnl: '122.5',
    },
  },
  {
    name: 'a short straight to the stop (gapping through it)',
    request: { preset: 'arbitrage' },
    position: short,
    quotes: asks('100.20', '100.55'),
    expected: { tranches: [{ id: 'STOP-1', reason: 'STOP_LOSS', quantity: '100', price: '100.55' }], realizedPnl: '-55' },
  },
  {
    // Trend following: stop 97, take-profit 106; held at most 60 s: the quote at 60 s closes everything.
    name: 'a long time exit (trend-following preset, held at most 60 s)',
    request: { preset: 'trend-following', timeExit: { maxHoldingSeconds: 60 } },
    position: long,
    quotes: [{ bid: '100.40', ask: '100.41', atSecond: 0 }, { bid: '100.90', ask: '100.91', atSecond: 30 }, { bid: '100.70', ask: '100.71', atSecond: 60 }],
    expected: { tranches: [{ id: 'TIME', reason: 'TIME_EXIT', quantity: '100', price: '100.7' }], realizedPnl: '70' },
  },
  {
    name: 'a short time exit (market-making preset, held at most 60 s)',
    request: { preset: 'market-making', timeExit: { maxHoldingSeconds: 60 } },
    position: short,
    quotes: [{ bid: '99.59', ask: '99.60', atSecond: 10 }, { bid: '99.79', ask: '99.80', atSecond: 61 }],
    expected: { tranches: [{ id: 'TIME', reason: 'TIME_EXIT', quantity: '100', price: '99.8' }], realizedPnl: '20' },
  },
];

/**
 * Runs a path through the domain alone: each tranche fills in full at its triggering quote's
 * exit-side price. Returns the final state and the tranches in the fixture's shape.
 */
export function simulateExitPricePath(path: ExitPricePath): { state: ExitState; tranches: ExitPricePathTranche[] } {
  const position = exitPositionFromDto(path.position);
  let state = startExit(resolveExitPlanSpec(path.request, position, null));
  const tranches: ExitPricePathTranche[] = [];
  for (const quote of path.quotes) {
    const market = { bid: price(quote.bid), ask: price(quote.ask), asOf: new Date(position.openedAt.getTime() + quote.atSecond * 1000) };
    const step = onMarket(state, market);
    state = step.state;
    const fill = position.direction === 'LONG' ? market.bid : market.ask;
    for (const order of step.orders) {
      state = applyTrancheOutcome(state, order.id, { filledQuantity: order.quantity, averagePrice: fill });
      tranches.push({ id: order.id, reason: order.reason, quantity: order.quantity.toFixed(), price: fill.toFixed() });
    }
  }
  return { state, tranches };
}
