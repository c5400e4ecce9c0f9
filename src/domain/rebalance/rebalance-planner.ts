import { Decimal, ZERO, sum } from '../values/decimal';
import { Money } from '../values/money';
import { quantity } from '../values/quantity';
import { cashEffect, costedLeg } from './leg-costs';
import { planVersionOf } from './plan-version';
import { checkAssetBands, checkPortfolio, checkTargetWeights, type CheckedPortfolio } from './rebalance-inputs';
import { RebalancePlanError } from './rebalance-plan-error';
import { resolveRebalanceSettings } from './rebalance-settings';
import type {
  AppliedAdjustment, AssetAllocation, PlanNote, RebalanceInput, RebalanceLeg, RebalancePlan, RebalanceSettings, RebalanceStrategy, Weight,
} from './rebalance-types';
import { DEFAULT_STRATEGY_BANDS, bandTargets } from './strategy-bands';
import { adjustTargets, appliedAdjustment } from './target-adjustments';

/** Reported weights are rounded to 12 decimal places: exact enough, and short on the wire. */
const WEIGHT_PLACES = 12;
const w12 = (w: Decimal): Weight => w.toDecimalPlaces(WEIGHT_PLACES, Decimal.ROUND_HALF_EVEN);
/** A move smaller than this many lots is numerical dust, not worth a note. */
const DUST_LOTS = new Decimal('0.000001');
const SCALE_SEARCH_STEPS = 50;

function resolveStrategy(strategy: RebalanceStrategy): RebalanceStrategy {
  if (strategy.type === 'threshold') return { type: 'threshold', scope: strategy.scope ?? 'ALL_WHEN_ANY' };
  if (strategy.type === 'dca') {
    const { tranches, tranche } = strategy;
    if (!Number.isInteger(tranches) || tranches < 1) throw new RebalancePlanError('REBALANCE_TRANCHE_INVALID', 'strategy.tranches', 'must be a positive integer');
    if (!Number.isInteger(tranche) || tranche < 1 || tranche > tranches) {
      throw new RebalancePlanError('REBALANCE_TRANCHE_INVALID', 'strategy.tranche', `must be an integer in 1..${tranches}`);
    }
  }
  return strategy;
}

interface ResolvedTargets {
  readonly targets: ReadonlyMap<string, Weight>;
  readonly beyond: ReadonlySet<string>;
  readonly strategyOf: ReadonlyMap<string, string>;
  readonly notes: readonly PlanNote[];
  readonly adjustment?: AppliedAdjustment;
}

function resolveTargets(input: RebalanceInput, pf: CheckedPortfolio, explicit: ReadonlyMap<string, Weight> | null, settings: RebalanceSettings): ResolvedTargets {
  const notes: PlanNote[] = [];
  let targets: Map<string, Weight>;
  let bandBeyond: ReadonlySet<string> | null = null;
  let strategyOf: ReadonlyMap<string, string> = new Map();
  if (explicit !== null) {
    targets = new Map([...pf.weights.keys()].map((s) => [s, explicit.get(s) ?? ZERO]));
  } else if (input.targets.type === 'strategy-bands') {
    const b = bandTargets(pf.weights, input.targets.strategyOf, input.targets.bands ?? DEFAULT_STRATEGY_BANDS);
    targets = new Map([...pf.weights.keys()].map((s) => [s, b.weights.get(s) ?? pf.weights.get(s) ?? ZERO]));
    bandBeyond = b.beyondThreshold;
    strategyOf = b.strategyOf;
    notes.push(...b.notes);
  } else {
    throw new Error('unreachable: explicit weights are given for every non-band source');
  }
  let adjustment: AppliedAdjustment | undefined;
  if (input.adjustment !== undefined) {
    adjustment = appliedAdjustment(targets, input.adjustment);
    targets = adjustTargets(targets, input.adjustment);
    const over = Object.keys(adjustment.targetsBefore).join(', ') || 'no positive target';
    notes.push({ code: 'TARGETS_ADJUSTED', message: `targets reshaped by ${input.adjustment.type}${adjustment.strength === null ? '' : ` (strength ${adjustment.strength})`} over ${over}` });
  }
  if (input.targets.type === 'asset-bands') {
    const bands = input.targets.bands;
    bandBeyond = new Set([...targets].filter(([s, t]) => {
      const b = bands[s];
      const current = pf.weights.get(s) ?? ZERO;
      if (b?.min !== undefined && b.max !== undefined) return current.lt(b.min) || current.gt(b.max);
      return current.minus(t).abs().gt(settings.driftThreshold);
    }).map(([s]) => s));
  }
  const beyond = bandBeyond ?? new Set([...targets].filter(([s, t]) => (pf.weights.get(s) ?? ZERO).minus(t).abs().gt(settings.driftThreshold)).map(([s]) => s));
  return { targets, beyond, strategyOf, notes, ...(adjustment && { adjustment }) };
}

interface LegBuild {
  readonly legs: RebalanceLeg[];
  readonly notes: PlanNote[];
}

/** Signed unit deltas → legs on the lot grid (toward zero), minus those under min notional. */
function buildLegs(deltas: ReadonlyMap<string, Decimal>, pf: CheckedPortfolio, settings: RebalanceSettings): LegBuild {
  const legs: RebalanceLeg[] = [];
  const notes: PlanNote[] = [];
  for (const [symbol, delta] of deltas) {
    if (delta.isZero()) continue;
    const instrument = pf.instrumentOf(symbol);
    const lot = instrument.lotSize;
    const lots = delta.abs().div(lot);
    const qty = quantity(lots.floor().times(lot));
    if (qty.isZero()) {
      if (lots.gte(DUST_LOTS)) notes.push({ code: 'LEG_BELOW_LOT', symbol, message: `${symbol}: a move of ${delta.abs().toSignificantDigits(8).toFixed()} is below one lot of ${lot.toFixed()}` });
      continue;
    }
    const leg = costedLeg(symbol, delta.isNegative() ? 'SELL' : 'BUY', qty, pf.priceOf(symbol), pf.quoteOf(symbol), settings.costs, pf.currency);
    const minNotional = settings.minNotional[symbol] ?? instrument.minNotional;
    if (leg.notional.lt(minNotional)) {
      notes.push({ code: 'LEG_BELOW_MIN_NOTIONAL', symbol, message: `${symbol}: ${leg.side} ${qty.toFixed()} (${leg.notional.toString()}) is below the minimum notional ${minNotional.toString()}; dropped` });
      continue;
    }
    legs.push(leg);
  }
  return { legs, notes };
}

const cashAfter = (pf: CheckedPortfolio, legs: readonly RebalanceLeg[]): Money => Money.sum(legs.map(cashEffect), pf.currency).plus(pf.cash);

const scaled = (deltas: ReadonlyMap<string, Decimal>, factor: Decimal): Map<string, Decimal> => new Map([...deltas].map(([s, d]) => [s, d.times(factor)]));

/**
 * Scales buys down (one factor for all, then lot-rounded again) until the cash left after every
 * leg and its costs is at least the buffer; the factor is the largest one found by bisection.
 */
function respectCashBuffer(sells: LegBuild, buyDeltas: ReadonlyMap<string, Decimal>, pf: CheckedPortfolio, settings: RebalanceSettings, initialBuys: LegBuild): LegBuild {
  const required = pf.equity.times(settings.cashBuffer);
  const all = (buys: LegBuild): RebalanceLeg[] => [...sells.legs, ...buys.legs];
  if (initialBuys.legs.length === 0 || cashAfter(pf, all(initialBuys)).gte(required)) return initialBuys;
  if (cashAfter(pf, sells.legs).lt(required)) {
    return { legs: [], notes: [{ code: 'CASH_BELOW_BUFFER', message: `cash after sells (${cashAfter(pf, sells.legs).toString()}) is below the buffer ${required.toString()}; every buy dropped` }] };
  }
  let lo = ZERO;
  let hi = new Decimal(1);
  for (let i = 0; i < SCALE_SEARCH_STEPS; i++) {
    const mid = lo.plus(hi).div(2);
    if (cashAfter(pf, all(buildLegs(scaled(buyDeltas, mid), pf, settings))).gte(required)) lo = mid;
    else hi = mid;
  }
  const buys = buildLegs(scaled(buyDeltas, lo), pf, settings);
  return {
    legs: buys.legs,
    notes: [
      { code: 'BUYS_SCALED_FOR_CASH_BUFFER', message: `buys scaled by ${lo.toDecimalPlaces(6, Decimal.ROUND_DOWN).toFixed()} to keep ${required.toString()} in cash (${settings.cashBuffer.toFixed()} of equity)` },
      ...buys.notes,
    ],
  };
}

const bySideThenSymbol = (a: RebalanceLeg, b: RebalanceLeg): number =>
  a.side !== b.side ? (a.side === 'SELL' ? -1 : 1) : a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;

/**
 * Computes a rebalance plan: legs (sells before buys) that move the portfolio toward its targets,
 * with costs, weights before and after, drift, turnover and a content-hash version. Pure: every
 * input (positions, marks, quotes, instruments, settings) is given; the same input always gives
 * the same plan and version. Invalid input throws RebalancePlanError; a plan over the cost cap is
 * returned with status COST_CAP_EXCEEDED (flagged, not thrown) and must not be executed.
 */
export function planRebalance(input: RebalanceInput): RebalancePlan {
  const settings = resolveRebalanceSettings(input.settings);
  const strategy = resolveStrategy(input.strategy);
  const source = input.targets;
  const explicit = source.type === 'strategy-bands' ? null
    : source.type === 'asset-bands' ? checkTargetWeights(checkAssetBands(source.bands), 'targets.bands')
    : checkTargetWeights(source.weights, 'targets.weights');
  const pf = checkPortfolio(input.portfolio, source.type === 'strategy-bands' ? Object.keys(source.strategyOf) : source.type === 'asset-bands' ? Object.keys(source.bands) : Object.keys(source.weights));
  const { targets, beyond, strategyOf, notes: targetNotes, adjustment } = resolveTargets(input, pf, explicit, settings);
  const notes: PlanNote[] = [...targetNotes];
  const E = pf.equity.amount;
  const symbols = [...pf.weights.keys()];

  let traded: readonly string[];
  if (strategy.type === 'threshold') {
    // Asset bands trade only the assets outside their band: one inside it stays as it is.
    const driftedOnly = strategy.scope === 'DRIFTED_ONLY' || source.type === 'asset-bands';
    traded = beyond.size === 0 ? [] : driftedOnly ? symbols.filter((s) => beyond.has(s)) : symbols;
    if (traded.length === 0) notes.push({ code: 'NO_DRIFT_BEYOND_THRESHOLD', message: 'no asset drifts beyond its threshold' });
  } else traded = symbols;

  // Divide (not multiply by a rounded reciprocal) so that 240 / 3 stays exactly 80.
  let remainingTranches = 1;
  if (strategy.type === 'dca') {
    remainingTranches = strategy.tranches - strategy.tranche + 1;
    notes.push({ code: 'DCA_TRANCHE', message: `tranche ${strategy.tranche} of ${strategy.tranches}: 1/${strategy.tranches - strategy.tranche + 1} of the remaining move` });
  }

  let deltas = new Map<string, Decimal>();
  for (const s of traded) {
    const targetUnits = (targets.get(s) ?? ZERO).times(E).div(pf.priceOf(s));
    deltas.set(s, targetUnits.minus(pf.quantities.get(s) ?? ZERO).div(remainingTranches));
  }

  const rawTurnover = sum([...deltas].map(([s, d]) => d.abs().times(pf.priceOf(s)))).div(E);
  if (settings.turnoverCap !== null && rawTurnover.gt(settings.turnoverCap)) {
    const lambda = settings.turnoverCap.div(rawTurnover);
    deltas = scaled(deltas, lambda);
    notes.push({ code: 'TURNOVER_CAPPED', message: `turnover ${rawTurnover.toDecimalPlaces(6).toFixed()} capped at ${settings.turnoverCap.toFixed()}: every move scaled by ${lambda.toDecimalPlaces(6, Decimal.ROUND_DOWN).toFixed()}` });
  }

  const sellDeltas = new Map([...deltas].filter(([, d]) => d.isNegative()));
  const buyDeltas = new Map([...deltas].filter(([, d]) => d.isPositive() && !d.isZero()));
  const sells = buildLegs(sellDeltas, pf, settings);
  const initialBuys = buildLegs(buyDeltas, pf, settings);
  const buys = respectCashBuffer(sells, buyDeltas, pf, settings, initialBuys);
  notes.push(...sells.notes, ...buys.notes);
  const legs = [...sells.legs, ...buys.legs].sort(bySideThenSymbol);

  const expectedCost = Money.sum(legs.map((l) => l.estimatedCost), pf.currency);
  const expectedCostFraction = expectedCost.amount.div(E);
  const postCash = cashAfter(pf, legs);
  const postQty = new Map<string, Decimal>(pf.quantities);
  for (const l of legs) postQty.set(l.symbol, (postQty.get(l.symbol) ?? ZERO).plus(l.side === 'BUY' ? l.quantity : l.quantity.neg()));
  const postEquity = postCash.plus(Money.of(sum(symbols.map((s) => (postQty.get(s) ?? ZERO).times(pf.priceOf(s)))), pf.currency));
  const postWeight = (value: Decimal): Decimal => (postEquity.isPositive() ? value.div(postEquity.amount) : ZERO);

  let status: RebalancePlan['status'] = 'READY';
  if (legs.length === 0) {
    status = 'NO_ACTION_NEEDED';
    if (traded.length > 0) notes.push({ code: 'NO_LEGS', message: 'every move rounds to nothing after lot, minimum notional and cash buffer' });
  } else if (expectedCostFraction.gt(settings.maxCostFraction)) {
    status = 'COST_CAP_EXCEEDED';
    notes.push({ code: 'COST_CAP_EXCEEDED', message: `expected cost ${expectedCost.toString()} is ${expectedCostFraction.times(100).toDecimalPlaces(4).toFixed()} % of equity, above the cap of ${settings.maxCostFraction.times(100).toFixed()} %` });
  }

  const assets: AssetAllocation[] = symbols.map((s) => {
    const current = pf.weights.get(s) ?? ZERO;
    const target = targets.get(s) ?? ZERO;
    return {
      symbol: s,
      strategy: strategyOf.get(s) ?? null,
      currentWeight: w12(current),
      targetWeight: w12(target),
      drift: w12(current.minus(target)),
      beyondThreshold: beyond.has(s),
      postTradeWeight: w12(postWeight((postQty.get(s) ?? ZERO).times(pf.priceOf(s)))),
    };
  });
  const maxDrift = w12(symbols.reduce((m, s) => Decimal.max(m, (pf.weights.get(s) ?? ZERO).minus(targets.get(s) ?? ZERO).abs()), ZERO));

  const content: Omit<RebalancePlan, 'version'> = {
    status,
    currency: pf.currency,
    strategy,
    legs,
    assets,
    maxDrift,
    preTradeEquity: pf.equity,
    postTradeEquity: postEquity,
    preTradeCash: pf.cash,
    postTradeCash: postCash,
    preTradeCashWeight: w12(pf.cash.amount.div(E)),
    postTradeCashWeight: w12(postWeight(postCash.amount)),
    expectedCost,
    expectedCostFraction: w12(expectedCostFraction),
    turnover: w12(sum(legs.map((l) => l.notional.amount)).div(E)),
    notes,
    ...(adjustment && { adjustment }),
  };
  return { ...content, version: planVersionOf(content) };
}
