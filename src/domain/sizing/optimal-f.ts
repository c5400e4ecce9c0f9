/**
 * Ralph Vince's optimal f: the fraction f of the largest historical loss to risk per unit that
 * maximises the terminal wealth relative TWR(f) = Π (1 + f · X_i / |W|) over the trade results X_i
 * (W the worst). ln TWR is concave in f, so a golden-section search finds the maximum.
 * Analytics on a return series: floats are fine here.
 */
export interface OptimalF {
  /** In (0, 1]; 0 when the trades lose on balance (nothing to bet). */
  readonly f: number;
  readonly twr: number;
  /** The worst trade, as a positive loss per unit. */
  readonly largestLoss: number;
}

const lnTwr = (results: readonly number[], largestLoss: number, f: number) =>
  results.reduce((acc, x) => acc + Math.log(1 + (f * x) / largestLoss), 0);

export class OptimalFUndefinedError extends Error {
  readonly code = 'OPTIMAL_F_UNDEFINED';
  constructor(reason: string) {
    super(`optimal f is undefined: ${reason}`);
  }
}

export function optimalF(results: readonly number[], tolerance = 1e-10): OptimalF {
  if (results.length === 0 || results.some((x) => !Number.isFinite(x))) throw new OptimalFUndefinedError('it needs finite trade results');
  const worst = Math.min(...results);
  if (worst >= 0) throw new OptimalFUndefinedError('no trade lost: the largest loss it scales by is missing');
  const largestLoss = -worst;
  // The derivative at 0 is the mean result: a losing or flat record bets nothing.
  if (results.reduce((a, x) => a + x, 0) <= 0) return { f: 0, twr: 1, largestLoss };
  // ln TWR → −∞ as f → 1 (the worst trade takes everything): search just inside (0, 1).
  let lo = 0;
  let hi = 1 - 1e-12;
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = hi - ratio * (hi - lo);
  let b = lo + ratio * (hi - lo);
  let fa = lnTwr(results, largestLoss, a);
  let fb = lnTwr(results, largestLoss, b);
  while (hi - lo > tolerance) {
    if (fa < fb) {
      lo = a;
      a = b;
      fa = fb;
      b = lo + ratio * (hi - lo);
      fb = lnTwr(results, largestLoss, b);
    } else {
      hi = b;
      b = a;
      fb = fa;
      a = hi - ratio * (hi - lo);
      fa = lnTwr(results, largestLoss, a);
    }
  }
  const f = (lo + hi) / 2;
  return { f, twr: Math.exp(lnTwr(results, largestLoss, f)), largestLoss };
}
