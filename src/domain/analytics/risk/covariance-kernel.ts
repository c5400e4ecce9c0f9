import { AnalyticsInputError } from '../analytics-input-error';
import type { Series } from '../series-checks';
import { covarianceOfCentred, type CentredColumns } from '../../statistics/return-series';

// The covariance kernel is statistics/return-series' (one implementation for every module).
export type { CentredColumns };
export { covarianceOfCentred };

/** Return columns centred for the covariance, every value checked finite and every column as long as the first, named by field for the client. */
export function centreColumns(columns: ReadonlyArray<Series>, field = 'returns'): CentredColumns {
  const n = columns.length;
  const t = n === 0 ? 0 : columns[0]!.length;
  const data = new Float64Array(n * t);
  const means = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = columns[i]!;
    if (c.length !== t) throw new AnalyticsInputError('ANALYTICS_LENGTH_MISMATCH', `${field}[${i}]`, `has ${c.length} values where ${field}[0] has ${t}`);
    let s = 0;
    for (let k = 0; k < t; k++) {
      const v = c[k]!;
      if (!Number.isFinite(v)) throw new AnalyticsInputError('ANALYTICS_VALUE_NOT_FINITE', `${field}[${i}][${k}]`, 'must be a finite number');
      s += v;
    }
    const m = s / t;
    means[i] = m;
    const off = i * t;
    for (let k = 0; k < t; k++) data[off + k] = c[k]! - m;
  }
  return { means, data, assets: n, periods: t };
}

