import { stopPriceAtProfit, targetPrice, trailingStopPrice, type TrailingStop } from '../../../../src/domain/exits/exit-plan';
import type { PositionDirection } from '../../../../src/domain/portfolio/position-lifecycle';
import {
  amendExit, applyTrancheOutcome, closeNow, limitToPosition, nextTriggers, onMarket, onTime, pauseExit, resumeExit, type ExitState,
} from '../../../../src/domain/exits/exit-state';
import { Decimal } from '../../../../src/domain/values/decimal';
import { price } from '../../../../src/domain/values/price';
import { quantity } from '../../../../src/domain/values/quantity';
import { exitFor, OPENED_AT, play, quoteAt, summary } from './exit-test-helpers';

const d = (v: string) => new Decimal(v);
const grid = (direction: PositionDirection, entry = '10.4', tick = '0.05') => ({ direction, entryPrice: price(entry), tickSize: price(tick) });
const trailing = (distance: string, maxDistance: string | null = null): TrailingStop => ({ activation: d('0'), distance: d(distance), maxDistance: maxDistance === null ? null : d(maxDistance) });
const fullArbitrage = { preset: 'arbitrage', takeProfit: { pct: '0.02' } } as const;

describe('exit prices on the tick grid', () => {
  // [name, computed, expected]
  const cases: Array<[string, () => Decimal, string]> = [
    // 10.4 × 1.01 = 10.504: a target rounds away from the entry.
    ['a long target rounds up', () => targetPrice(grid('LONG'), d('0.01')), '10.55'],
    ['a short target rounds down', () => targetPrice(grid('SHORT'), d('0.01')), '10.25'],
    // A stop rounds to the looser line: 10.296 → 10.25 for a long, 10.504 → 10.55 for a short.
    ['a long stop rounds down', () => stopPriceAtProfit(grid('LONG'), d('-0.01')), '10.25'],
    ['a short stop rounds up', () => stopPriceAtProfit(grid('SHORT'), d('-0.01')), '10.55'],
    ['a long stop in profit rounds down', () => stopPriceAtProfit(grid('LONG'), d('0.002')), '10.4'],
    ['a price already on the grid stays', () => targetPrice(grid('LONG', '100', '0.01'), d('0.005')), '100.5'],
    // Trailing from 10.40 by 1 %: 10.296 → 10.25 (0.15 away, within a 2 % cap of 0.208).
    ['a long trailing stop, looser line', () => trailingStopPrice(grid('LONG'), trailing('0.01', '0.02'), price('10.4')), '10.25'],
    // With a 1.2 % cap (0.1248), 10.25 is too far: the tighter line 10.30.
    ['a long trailing stop whose looser line passes the cap', () => trailingStopPrice(grid('LONG'), trailing('0.01', '0.012'), price('10.4')), '10.3'],
    ['a short trailing stop, looser line', () => trailingStopPrice(grid('SHORT'), trailing('0.01'), price('10.4')), '10.55'],
    ['a short trailing stop whose looser line passes the cap', () => trailingStopPrice(grid('SHORT'), trailing('0.01', '0.012'), price('10.4')), '10.5'],
    // A distance above the cap is clamped to it: 100 × (1 − 0.02).
    ['a trailing distance above its cap', () => trailingStopPrice(grid('LONG', '100', '0.01'), trailing('0.05', '0.02'), price('100')), '98'],
  ];
  it.each(cases)('when %s, then the price is the hand-computed one', (_name, compute, expected) => {
    expect(compute().toFixed()).toBe(expected);
  });
});

describe('exit quantities on the lot grid', () => {
  const quarterLadder = [0.005, 0.008, 0.012, 0.015].map((t) => ({ profitTarget: String(t), fraction: '0.25' }));
  // [name, position quantity, lot, ladder, prices, orders]
  const cases: Array<[string, string, string, typeof quarterLadder, string[], string[]]> = [
    ['quarters of 10 floor to 2 and the last level takes the rest', '10', '1', quarterLadder, ['100.5', '100.8', '101.2', '101.5'],
      ['L1 TARGET 2', 'L2 TARGET 2', 'L3 TARGET 2', 'L4 TARGET 4']],
    ['quarters of 3 floor to 0 lots: skipped, the last level takes all', '3', '1', quarterLadder, ['100.5', '100.8', '101.2', '101.5'], ['L4 TARGET 3']],
    ['quarters of 10.3 on a lot of 0.5 floor to 2.5', '10.3', '0.5', quarterLadder, ['100.5', '100.8', '101.2', '101.5'],
      ['L1 TARGET 2.5', 'L2 TARGET 2.5', 'L3 TARGET 2.5', 'L4 TARGET 2.8']],
    ['a ladder of half leaves the other half to the stops', '100', '1', [{ profitTarget: '0.01', fraction: '0.5' }], ['101', '102'], ['L1 TARGET 50']],
  ];
  it.each(cases)('when %s, then the tranches are the expected ones', (_name, qty, lot, ladder, prices, expected) => {
    const { state, orders } = play(exitFor({ ladder }, { quantity: quantity(qty), lotSize: quantity(lot) }), prices);
    expect(summary(orders)).toEqual(expected);
    const ladderTotal = ladder.reduce((acc, l) => acc.plus(l.fraction), d('0'));
    expect(state.status).toBe(ladderTotal.eq(1) ? 'CLOSED' : 'ACTIVE');
  });

  it('when a level floors to zero lots, then it is done without an order and its stop move still applies', () => {
    const { state, orders } = play(exitFor({ ladder: [{ profitTarget: '0.01', fraction: '0.1', moveStopTo: '0' }, { profitTarget: '0.02', fraction: '0.9' }] }, { quantity: quantity('5') }), ['101']);
    expect(orders).toEqual([]);
    expect(state.levelsDone).toEqual(['L1']);
    expect(state.stop?.toFixed()).toBe('100');
  });
});

describe('exit transitions', () => {
  it('when a long quote is at the stop, then one stop tranche takes everything and no level fires', () => {
    const step = onMarket(exitFor({ preset: 'arbitrage' }), quoteAt(exitFor({ preset: 'arbitrage' }), '99.5'));
    expect(summary(step.orders)).toEqual(['STOP-1 STOP_LOSS 100']);
    expect(step.orders[0]?.triggerPrice?.toFixed()).toBe('99.5');
    expect(step.state.remaining.toFixed()).toBe('0');
    expect(step.state.closing).toBe('STOP_LOSS');
  });

  it('when a tranche is pending, then the same quote again sends nothing more', () => {
    const first = play(exitFor(fullArbitrage), ['100.5'], 'none');
    const again = onMarket(first.state, quoteAt(first.state, '100.5'));
    expect(summary(first.orders)).toEqual(['L1 TARGET 25']);
    expect(again.orders).toEqual([]);
    expect(again.state.tranches.map((t) => `${t.id} ${t.state}`)).toEqual(['L1 PENDING']);
  });

  it('when a stop fills in part, then the rest leaves as STOP-2 on the next quote, whatever its price, and the exit closes once filled', () => {
    let state = onMarket(exitFor({ preset: 'arbitrage' }), quoteAt(exitFor({ preset: 'arbitrage' }), '99.4')).state;
    state = applyTrancheOutcome(state, 'STOP-1', { filledQuantity: quantity('60'), averagePrice: price('99.4') });
    expect([state.status, state.remaining.toFixed(), nextTriggers(state).immediate]).toEqual(['ACTIVE', '40', true]);
    const step = onMarket(state, quoteAt(state, '99.8'));
    expect(summary(step.orders)).toEqual(['STOP-2 STOP_LOSS 40']);
    state = applyTrancheOutcome(step.state, 'STOP-2', { filledQuantity: quantity('40'), averagePrice: price('99.3') });
    expect(state.status).toBe('CLOSED');
    // −0.6 × 60 − 0.7 × 40
    expect(state.realizedPnl.toFixed()).toBe('-64');
  });

  it('when a level fills in part, then its rest returns to remaining and the level that exhausts the ladder takes it', () => {
    let state = exitFor({ ladder: [{ profitTarget: '0.01', fraction: '0.5' }, { profitTarget: '0.02', fraction: '0.5' }] });
    state = onMarket(state, quoteAt(state, '101')).state;
    state = applyTrancheOutcome(state, 'L1', { filledQuantity: quantity('30'), averagePrice: price('101') });
    expect(state.remaining.toFixed()).toBe('70');
    const step = onMarket(state, quoteAt(state, '102'));
    expect(summary(step.orders)).toEqual(['L2 TARGET 70']);
  });

  it('when nothing fills, then the whole tranche returns to remaining and its P&L is zero', () => {
    let state = onMarket(exitFor({ preset: 'arbitrage' }), quoteAt(exitFor({ preset: 'arbitrage' }), '101')).state;
    const tp = state.tranches.find((t) => t.reason === 'TAKE_PROFIT')!;
    state = applyTrancheOutcome(state, tp.id, { filledQuantity: quantity('0'), averagePrice: null });
    // 101 passed L1 and L2 (25 each) and the take-profit (the other 50).
    expect(state.remaining.toFixed()).toBe('50');
    expect(summary(onMarket(state, quoteAt(state, '100.9')).orders)).toEqual(['TP-2 TAKE_PROFIT 50']);
  });

  it('when a short covers in tranches, then the P&L is (entry − fill) × filled', () => {
    let state = exitFor({ ladder: [{ profitTarget: '0.01', fraction: '0.5' }] , stopLoss: { pct: '0.01' } }, { direction: 'SHORT' });
    state = onMarket(state, quoteAt(state, '98.9')).state;
    state = applyTrancheOutcome(state, 'L1', { filledQuantity: quantity('50'), averagePrice: price('98.95') });
    state = onMarket(state, quoteAt(state, '101.2')).state;
    state = applyTrancheOutcome(state, 'STOP-1', { filledQuantity: quantity('50'), averagePrice: price('101.2') });
    expect(state.tranches.map((t) => t.realizedPnl.toFixed())).toEqual(['52.5', '-60']);
    expect([state.realizedPnl.toFixed(), state.status]).toEqual(['-7.5', 'CLOSED']);
  });

  it('when the ratchets offer a worse stop, then the stop stays: level moves, break-even and trailing only tighten it', () => {
    // Break-even at +1 % puts the stop at 100.10; the level's move to 0 (100.00) would loosen it.
    const { state } = play(exitFor({ stopLoss: { pct: '0.01' }, breakEven: { trigger: '0.01', offset: '0.001' },
      ladder: [{ profitTarget: '0.015', fraction: '0.5', moveStopTo: '0' }] }), ['101', '101.5'], 'none');
    expect([state.stop?.toFixed(), state.stopKind]).toEqual(['100.1', 'STOP_LOSS']);
    const short = play(exitFor({ stopLoss: { pct: '0.01' }, breakEven: { trigger: '0.01', offset: '0.001' } }, { direction: 'SHORT' }), ['99']).state;
    expect(short.stop?.toFixed()).toBe('99.9');
  });

  it('when trailing is measured, then activation uses the exit side: a long\'s bid, a short\'s ask', () => {
    const long = exitFor({ trailing: { activation: '0.005', distance: '0.002' } });
    expect(onMarket(long, { bid: price('100.49'), ask: price('100.7'), asOf: OPENED_AT }).state.trailingActive).toBe(false);
    expect(onMarket(long, { bid: price('100.5'), ask: price('100.7'), asOf: OPENED_AT }).state.trailingActive).toBe(true);
    const short = exitFor({ trailing: { activation: '0.005', distance: '0.002' } }, { direction: 'SHORT' });
    expect(onMarket(short, { bid: price('99.3'), ask: price('99.51'), asOf: OPENED_AT }).state.trailingActive).toBe(false);
    expect(onMarket(short, { bid: price('99.3'), ask: price('99.5'), asOf: OPENED_AT }).state.trailingActive).toBe(true);
  });

  it('when the trailing stop sets the stop that is reached, then the exit is a TRAILING_STOP; a fixed stop\'s is a STOP_LOSS', () => {
    const trailed = play(exitFor({ stopLoss: { pct: '0.01' }, trailing: { activation: '0.01', distance: '0.005' } }), ['102', '101.49']);
    expect(summary(trailed.orders)).toEqual(['STOP-1 TRAILING_STOP 100']);
    expect(trailed.orders[0]?.triggerPrice?.toFixed()).toBe('101.49');
  });

  it('when the time is up, then onMarket and onTime close everything left as TIME_EXIT, and not a moment before', () => {
    const state = exitFor({ timeExit: { maxHoldingSeconds: 60 } });
    expect(onMarket(state, quoteAt(state, '100.2', 59)).orders).toEqual([]);
    expect(summary(onMarket(state, quoteAt(state, '100.2', 60)).orders)).toEqual(['TIME TIME_EXIT 100']);
    expect(onTime(state, new Date(OPENED_AT.getTime() + 59_999)).orders).toEqual([]);
    const timed = onTime(state, new Date(OPENED_AT.getTime() + 60_000));
    expect(summary(timed.orders)).toEqual(['TIME TIME_EXIT 100']);
    const rest = applyTrancheOutcome(timed.state, 'TIME', { filledQuantity: quantity('70'), averagePrice: price('100') });
    expect(summary(onTime(rest, new Date(OPENED_AT.getTime() + 61_000)).orders)).toEqual(['TIME-2 TIME_EXIT 30']);
  });

  it('when closed now, then everything remaining leaves as CLOSE-1, a partial fill\'s rest as CLOSE-2, and a closed exit sends nothing', () => {
    let state = play(exitFor(fullArbitrage), ['100.5'], 'none').state;
    const close = closeNow(state);
    expect(summary(close.orders)).toEqual(['CLOSE-1 MANUAL_CLOSE 75']);
    state = applyTrancheOutcome(close.state, 'L1', { filledQuantity: quantity('20'), averagePrice: price('100.5') });
    state = applyTrancheOutcome(state, 'CLOSE-1', { filledQuantity: quantity('75'), averagePrice: price('100.4') });
    const rest = onMarket(state, quoteAt(state, '100.4'));
    expect(summary(rest.orders)).toEqual(['CLOSE-2 MANUAL_CLOSE 5']);
    state = applyTrancheOutcome(rest.state, 'CLOSE-2', { filledQuantity: quantity('5'), averagePrice: price('100.3') });
    expect(state.status).toBe('CLOSED');
    expect(closeNow(state).orders).toEqual([]);
  });

  it('when the books hold less than the exit has left (a trader sold part), then the stop sells only what is held; nothing held closes the exit', () => {
    const state = exitFor({ preset: 'arbitrage' });
    const bounded = limitToPosition(state, quantity('40'));
    expect(bounded.remaining.toFixed()).toBe('40');
    expect(summary(onMarket(bounded, quoteAt(bounded, '99')).orders)).toEqual(['STOP-1 STOP_LOSS 40']);
    expect(limitToPosition(state, quantity('100'))).toBe(state);
    expect(limitToPosition(state, quantity('0')).status).toBe('CLOSED');
  });

  it('when a tranche is pending, then the exit is not bounded by the books (its fill may be booked but not yet recorded)', () => {
    const sent = onMarket(exitFor({ preset: 'arbitrage' }), quoteAt(exitFor({ preset: 'arbitrage' }), '99')).state;
    expect(limitToPosition(sent, quantity('0'))).toBe(sent);
  });

  it('when paused, then quotes change nothing (not even at the stop) and no trigger is published; resumed, the next quote acts', () => {
    const paused = pauseExit(exitFor({ preset: 'arbitrage' }));
    const step = onMarket(paused, quoteAt(paused, '99'));
    expect(step).toEqual({ state: paused, orders: [] });
    expect(nextTriggers(paused)).toEqual({ lower: null, upper: null, notAfter: null, immediate: false });
    const resumed = resumeExit(paused);
    expect(resumed.status).toBe('ACTIVE');
    expect(summary(onMarket(resumed, quoteAt(resumed, '99')).orders)).toEqual(['STOP-1 STOP_LOSS 100']);
    expect(summary(closeNow(paused).orders)).toEqual(['CLOSE-1 MANUAL_CLOSE 100']);
    expect(closeNow(paused).state.status).toBe('ACTIVE');
  });

  it.each([
    ['an unknown tranche', 'L9', '1', '100', 'trancheId'],
    ['more filled than ordered', 'L1', '26', '100.5', 'filledQuantity'],
    ['a fill without a price', 'L1', '25', null, 'averagePrice'],
  ])('when an outcome names %s, then EXIT_STATE_INVALID names the field', (_name, id, filled, avg, field) => {
    const state = play(exitFor(fullArbitrage), ['100.5'], 'none').state;
    expect(() => applyTrancheOutcome(state, id, { filledQuantity: quantity(filled), averagePrice: avg === null ? null : price(avg) }))
      .toThrow(expect.objectContaining({ code: 'EXIT_STATE_INVALID', field }));
  });

  it('when an outcome is replayed, then the same one is a no-op and a different one is refused', () => {
    const pending = play(exitFor(fullArbitrage), ['100.5'], 'none').state;
    const filled = applyTrancheOutcome(pending, 'L1', { filledQuantity: quantity('25'), averagePrice: price('100.5') });
    expect(applyTrancheOutcome(filled, 'L1', { filledQuantity: quantity('25'), averagePrice: price('100.50') })).toBe(filled);
    expect(() => applyTrancheOutcome(filled, 'L1', { filledQuantity: quantity('20'), averagePrice: price('100.5') })).toThrow(expect.objectContaining({ field: 'trancheId' }));
  });
});

describe('exit triggers for the wake-up', () => {
  const view = (state: ExitState) => {
    const t = nextTriggers(state);
    return [t.lower?.toFixed() ?? null, t.upper?.toFixed() ?? null, t.notAfter, t.immediate];
  };
  // [name, state, lower, upper, notAfter, immediate]
  const cases: Array<[string, () => ExitState, string | null, string | null, string | null, boolean]> = [
    ['a fresh arbitrage long: its stop, and its first level (also its trailing activation)', () => exitFor({ preset: 'arbitrage' }), '99.5', '100.5', null, false],
    ['a fresh arbitrage short: its first level, and its stop', () => exitFor({ preset: 'arbitrage' }, { direction: 'SHORT' }), '99.5', '100.5', null, false],
    // After L1 the trailing stop is 100.29: it moves a tick once bid × 0.998 ≥ 100.30, i.e. bid ≥ 100.30 / 0.998.
    ['a trailing long: the trailing step', () => play(exitFor(fullArbitrage), ['100.5']).state, '100.29', d('100.3').div('0.998').toFixed(), null, false],
    // Short after L1: stop 99.70; it moves once ask × 1.002 ≤ 99.69.
    ['a trailing short: the trailing step', () => play(exitFor(fullArbitrage, { direction: 'SHORT' }), ['99.5']).state, d('99.69').div('1.002').toFixed(), '99.7', null, false],
    // Break-even at an exact +0.75 % (100.75); the take-profit at 102 is farther.
    ['a break-even not yet reached', () => exitFor({ stopLoss: { pct: '0.01' }, takeProfit: { pct: '0.02' }, breakEven: { trigger: '0.0075' } }), '99', '100.75', null, false],
    ['a break-even already applied', () => play(exitFor({ stopLoss: { pct: '0.01' }, takeProfit: { pct: '0.02' }, breakEven: { trigger: '0.0075' } }), ['100.8']).state, '100', '102', null, false],
    ['a time exit', () => exitFor({ timeExit: { maxHoldingSeconds: 60 } }), null, null, '2024-01-02T14:31:00.000Z', false],
    ['everything pending', () => play(exitFor({ ladder: [{ profitTarget: '0.01', fraction: '1' }] }), ['101'], 'none').state, null, null, null, false],
    ['a closing exit with a rest to send', () => applyTrancheOutcome(closeNow(exitFor({})).state, 'CLOSE-1', { filledQuantity: quantity('10'), averagePrice: price('100') }), null, null, null, true],
    ['a closed exit', () => play(exitFor({ preset: 'arbitrage' }), ['99']).state, null, null, null, false],
  ];
  it.each(cases)('when %s, then the triggers are the expected ones', (_name, state, lower, upper, notAfter, immediate) => {
    expect(view(state())).toEqual([lower, upper, notAfter, immediate]);
  });

  it('when a quote reaches a published trigger, then it changes the state; a quote short of it does not', () => {
    const state = play(exitFor(fullArbitrage), ['100.5']).state;
    const upper = nextTriggers(state).upper!;
    const below = onMarket(state, quoteAt(state, '100.5'));
    expect(below.state.stop).toEqual(state.stop);
    const at = onMarket(state, quoteAt(state, price(upper.toDecimalPlaces(2, Decimal.ROUND_UP)).toFixed()));
    expect(at.state.stop?.toFixed()).toBe('100.3');
  });
});

describe('exit amendments', () => {
  const afterL1 = () => play(exitFor({ preset: 'arbitrage' }), ['100.5']).state; // stop 100.29 (trailing), 75 remain

  it.each([
    ['a long stop moved down', afterL1, { stopLoss: { price: '100.2' } }, 'stopLoss'],
    ['a short stop moved up', () => exitFor({ stopLoss: { pct: '0.01' } }, { direction: 'SHORT' }), { stopLoss: { price: '101.5' } }, 'stopLoss'],
    ['a stop removed', afterL1, { stopLoss: null }, 'stopLoss'],
    ['pending fractions above what remains', afterL1, { ladder: [{ profitTarget: '0.01', fraction: '0.5' }, { profitTarget: '0.02', fraction: '0.3' }] }, 'ladder.1.fraction'],
    ['a preset', afterL1, { preset: 'trend-following' }, 'preset'],
    ['a closed exit', () => play(exitFor({ preset: 'arbitrage' }), ['99']).state, { takeProfit: { pct: '0.05' } }, 'status'],
  ] as const)('when an amendment has %s, then EXIT_AMENDMENT_REFUSED names the field', (_name, state, amendment, field) => {
    expect(() => amendExit(state(), amendment)).toThrow(expect.objectContaining({ code: 'EXIT_AMENDMENT_REFUSED', field }));
  });

  it('when an amendment is malformed, then EXIT_PLAN_INVALID names the field', () => {
    expect(() => amendExit(afterL1(), { trailing: { activation: '0', distance: 'wide' } })).toThrow(expect.objectContaining({ code: 'EXIT_PLAN_INVALID', field: 'trailing.distance' }));
  });

  it('when the pending ladder is replaced, then done levels stay and the new levels get fresh ids', () => {
    const amended = amendExit(afterL1(), { ladder: [{ profitTarget: '0.01', fraction: '0.5' }, { profitTarget: '0.02', fraction: '0.25' }], takeProfit: { pct: '0.03' } });
    expect(amended.plan.ladder.map((l) => `${l.id} ${l.fraction.toFixed()}`)).toEqual(['L1 0.25', 'L5 0.5', 'L6 0.25']);
    expect(summary(play(amended, ['101', '102']).orders)).toEqual(['L5 TARGET 50', 'L6 TARGET 25']);
  });

  it('when the stop is raised, the take-profit, trailing and time exit changed, then the plan and state follow', () => {
    const amended = amendExit(afterL1(), { stopLoss: { price: '100.35' }, takeProfit: { price: '103' }, timeExit: { maxHoldingSeconds: 120 } });
    expect([amended.stop?.toFixed(), amended.stopKind, amended.plan.takeProfit?.toFixed(), amended.plan.timeExit?.notAfter])
      .toEqual(['100.35', 'STOP_LOSS', '103', '2024-01-02T14:32:00.000Z']);
    // A tighter trailing distance moves the stop at once: 100.50 × 0.999 = 100.3995 → 100.39.
    const tighter = amendExit(afterL1(), { trailing: { activation: '0.005', distance: '0.001' } });
    expect([tighter.stop?.toFixed(), tighter.stopKind]).toEqual(['100.39', 'TRAILING_STOP']);
  });
});
