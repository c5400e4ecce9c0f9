import type { PortfolioProblem } from './problem-input';

const fmt = (x: number): string => String(Number(x.toPrecision(10)));

/**
 * Cheap checks before any solver runs, each naming the constraints that conflict. They are exact
 * for bounds and sector caps; turnover and return targets are diagnosed with an LP when the solver
 * reports infeasibility (see optimiser diagnostics).
 */
export function feasibilityConflicts(problem: PortfolioProblem): string[] {
  const { n, lower, upper, assets } = problem;
  const conflicts: string[] = [];
  let sumLower = 0;
  let sumUpper = 0;
  for (let i = 0; i < n; i++) {
    if (lower[i]! > upper[i]!) conflicts.push(`bounds of ${assets[i]}: min ${fmt(lower[i]!)} > max ${fmt(upper[i]!)}`);
    sumLower += lower[i]!;
    sumUpper += upper[i]!;
  }
  if (sumUpper < 1 - 1e-12) conflicts.push(`bounds sum to at most ${fmt(sumUpper)} < 1`);
  if (sumLower > 1 + 1e-12) conflicts.push(`minimum weights sum to ${fmt(sumLower)} > 1`);
  if (problem.sectors.length > 0) {
    const capped = new Uint8Array(n);
    let reachable = 0;
    for (const s of problem.sectors) {
      let hi = 0;
      let lo = 0;
      for (const i of s.members) {
        hi += upper[i]!;
        lo += lower[i]!;
        capped[i] = 1;
      }
      reachable += Math.min(hi, s.cap);
      if (lo > s.cap + 1e-12) conflicts.push(`minimum weights in sector ${s.sector} sum to ${fmt(lo)} > maxSectorWeight ${fmt(s.cap)}`);
    }
    for (let i = 0; i < n; i++) if (capped[i] === 0) reachable += upper[i]!;
    if (reachable < 1 - 1e-12 && sumUpper >= 1 - 1e-12) {
      const caps = new Set(problem.sectors.map((s) => s.cap));
      const uncapped = capped.some((c) => c === 0);
      const [only] = [...caps];
      conflicts.push(
        caps.size === 1 && !uncapped && only !== undefined && only * problem.sectors.length < 1
          ? `maxSectorWeight ${fmt(only)} × ${problem.sectors.length} sectors < 1`
          : `sector caps and bounds allow at most ${fmt(reachable)} < 1`,
      );
    }
  }
  if (problem.turnover !== null && problem.turnover.max < 0) conflicts.push('maxTurnover must not be negative');
  return conflicts;
}

