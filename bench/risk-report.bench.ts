/**
 * Median time of the full risk report (VaR/ES historical and parametric at 95/99, drawdown,
 * covariance, correlation matrix, contributions, component VaR, betas, beta-adjusted and sector
 * exposure, concentration, a stress scenario) for 500 assets × 1,260 days of synthetic returns, and
 * its ratio to the 1 s target (issue 8). Run: node --import tsx bench/risk-report.bench.ts
 */
import { riskReport, type PortfolioRiskInput } from '../src/domain/analytics/risk/risk-report';

const ASSETS = Number(process.argv[2] ?? 500);
const DAYS = Number(process.argv[3] ?? 1260);
const RUNS = 9;
const TARGET_MS = 1000;

/** Seeded generator (mulberry32) and Box–Muller normals: the same market every run. */
function normals(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform() + 1e-300)) * Math.cos(2 * Math.PI * uniform());
}

function syntheticBook(assets: number, days: number): PortfolioRiskInput {
  const z = normals(20240601);
  const market = Float64Array.from({ length: days }, () => 0.0003 + 0.01 * z());
  const names = Array.from({ length: assets }, (_, i) => `A${String(i).padStart(3, '0')}`);
  const sectorsList = ['TECH', 'FIN', 'HEALTH', 'ENERGY', 'INDUSTRIAL', 'CONSUMER', 'UTILITIES', 'MATERIALS'];
  const assetReturns = names.map(() => {
    const beta = 0.5 + z() * 0.3 + 0.5;
    const idio = 0.008 + Math.abs(z()) * 0.01;
    return Float64Array.from(market, (m) => beta * m + idio * z());
  });
  const raw = names.map(() => z() + 0.3);
  const gross = raw.reduce((s, v) => s + Math.abs(v), 0);
  return {
    assets: names,
    weights: raw.map((v) => (1.5 * v) / gross),
    assetReturns,
    benchmarkReturns: market,
    sectors: Object.fromEntries(names.map((n, i) => [n, sectorsList[i % sectorsList.length]!])),
    dates: Array.from({ length: days }, (_, i) => `day-${i}`),
    stressScenarios: [{ name: 'tech sell-off', sectorShocks: { TECH: -0.2, FIN: -0.1 }, defaultShock: -0.05 }],
  };
}

const input = syntheticBook(ASSETS, DAYS);
riskReport(input); // warm-up (JIT)
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const report = riskReport(input);
  times.push(performance.now() - t0);
  if (!Number.isFinite(report.volatility)) throw new Error('the report has no volatility');
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
console.log(`risk report, ${ASSETS} assets × ${DAYS} days: median ${median.toFixed(1)} ms over ${RUNS} runs (min ${times[0]!.toFixed(1)}, max ${times[times.length - 1]!.toFixed(1)})`);
console.log(`ratio to the ${TARGET_MS} ms target: ${(median / TARGET_MS).toFixed(3)} (${median <= TARGET_MS ? 'met' : 'NOT met'})`);
