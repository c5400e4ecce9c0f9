/**
 * Optimiser bench: median wall time of a full `optimise` call (validation incl. the PSD check,
 * HiGHS QP, KKT polish, metrics) for max Sharpe and min variance with bounds 0–10 % and sector caps
 * of 25 % over 10 sectors, at 50, 200 and 500 assets. The covariance is a synthetic six-factor model
 * in annual units (market beta ~1 ± 0.3, factor vols 4–16 %, idiosyncratic vols 15–40 %), with
 * expected returns loosely tied to beta; a seeded generator keeps runs comparable.
 * Target (issue 8): 500-asset constrained max Sharpe under 120 ms median.
 *
 *   node --import tsx bench/optimiser.bench.ts
 */
import loadHighs from 'highs';
import { createOptimiser, type OptimisationRequest } from '../src/domain/optimisation';
import { median } from './load-generator';

const TARGET_MS = 120;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r());
}

function syntheticProblem(n: number, seed: number): Omit<OptimisationRequest, 'objective'> {
  const r = seeded(seed);
  const factorVols = [0.16, 0.08, 0.06, 0.05, 0.05, 0.04];
  const k = factorVols.length;
  const loadings = Array.from({ length: n }, () => factorVols.map((_, f) => (f === 0 ? 1 + 0.3 * normal(r) : 0.5 * normal(r))));
  const idio = Array.from({ length: n }, () => 0.15 + 0.25 * r());
  const covariance = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let f = 0; f < k; f++) s += loadings[i]![f]! * loadings[j]![f]! * factorVols[f]! ** 2;
      return s + (i === j ? idio[i]! ** 2 : 0);
    }),
  );
  const expectedReturns = loadings.map((l) => 0.02 + 0.06 * l[0]! + 0.03 * normal(r));
  const assets = Array.from({ length: n }, (_, i) => `A${String(i).padStart(3, '0')}`);
  const sectors = Object.fromEntries(assets.map((a, i) => [a, `S${i % 10}`]));
  return {
    assets,
    covariance,
    expectedReturns,
    riskFreeRate: 0.02,
    constraints: { longOnly: true, minWeight: 0, maxWeight: 0.1, sectors, maxSectorWeight: 0.25 },
    timeLimitSeconds: 10,
  };
}

async function main(): Promise<void> {
  const optimiser = createOptimiser(await loadHighs());
  const rows: { n: number; objective: string; median: number; min: number; max: number; solverMs: number; polished: boolean; kkt: number }[] = [];
  for (const n of [50, 200, 500]) {
    const problem = syntheticProblem(n, 1000 + n);
    for (const objective of ['max_sharpe', 'min_variance'] as const) {
      optimiser.optimise({ ...problem, objective }); // warm-up (JIT, Wasm)
      const times: number[] = [];
      const solver: number[] = [];
      let last;
      for (let run = 0; run < RUNS; run++) {
        const t0 = performance.now();
        last = optimiser.optimise({ ...problem, objective });
        times.push(performance.now() - t0);
        solver.push(last.solver.solverSeconds * 1000);
      }
      rows.push({ n, objective, median: median(times), min: Math.min(...times), max: Math.max(...times), solverMs: median(solver), polished: last!.solver.polished, kkt: last!.solver.kktResidual });
    }
  }
  console.log(`optimiser bench: median of ${RUNS} runs, bounds 0–10 %, 10 sectors capped at 25 %, annual factor-model covariance`);
  console.log('assets  objective     median ms  min ms  max ms  HiGHS ms  polished  KKT residual');
  for (const r of rows) {
    console.log(
      `${String(r.n).padStart(6)}  ${r.objective.padEnd(12)}  ${r.median.toFixed(1).padStart(9)}  ${r.min.toFixed(1).padStart(6)}  ${r.max.toFixed(1).padStart(6)}  ${r.solverMs.toFixed(1).padStart(8)}  ${String(r.polished).padStart(8)}  ${r.kkt.toExponential(1)}`,
    );
  }
  const headline = rows.find((r) => r.n === 500 && r.objective === 'max_sharpe')!;
  const ratio = headline.median / TARGET_MS;
  console.log(`500-asset constrained max Sharpe: ${headline.median.toFixed(1)} ms median vs target ${TARGET_MS} ms → ratio ${ratio.toFixed(2)} (${ratio < 1 ? 'meets' : 'MISSES'} the target)`);
}

if (require.main === module) void main();
export { syntheticProblem };
