import { HttpError, type FieldProblem } from '../../../src/gateway/http-errors';
import { parseRequest } from '../../../src/gateway/request-validation';
import { positionSizingBody, sizingMethodFields, sizingSettingsBody, sizingSpecSchema } from '../../../src/gateway/request-schemas';

const P = '51230ea4-0000-4000-8000-000000000001';
const base = { portfolioId: P, symbol: 'AAPL', side: 'BUY' };

/** The fields a 400 names, or [] when the body parses. */
function problems(schema: Parameters<typeof parseRequest>[0], body: unknown): string[] {
  try {
    parseRequest(schema, body);
    return [];
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    expect(err.status).toBe(400);
    expect(err.code).toBe('VALIDATION_FAILED');
    return (err.details as FieldProblem[]).map((p) => p.field);
  }
}

describe('POST /v1/position-sizing bodies', () => {
  const valid: Array<[string, Record<string, unknown>]> = [
    ['fixed dollar', { method: 'FIXED_DOLLAR', amount: '5000' }],
    ['fixed percent of all equity', { method: 'FIXED_PERCENT', percent: '1' }],
    ['Kelly with a fraction', { method: 'KELLY', winProbability: '0.55', payoffRatio: '1.5', fraction: '0.5' }],
    ['risk parity alone in the portfolio', { method: 'RISK_PARITY', assetVolatility: '0.2', otherVolatilities: [] }],
    ['volatility adjusted', { method: 'VOLATILITY_ADJUSTED', assetVolatility: '0.4', targetVolatility: '0.1' }],
    ['confidence weighted', { method: 'CONFIDENCE_WEIGHTED', confidence: '0.8' }],
    ['optimal f with losses', { method: 'OPTIMAL_F', tradeResults: ['9', '-17', '7.5'] }],
    ['a stop loss, a confidence and the open risk', { method: 'FIXED_PERCENT', percent: '0.05', stopLoss: '180', confidence: '0.7', openRisk: '500' }],
    ['dynamic stops with every parameter', { method: 'FIXED_PERCENT', percent: '0.05', stops: { method: 'STDDEV', lookbackDays: 20, stopMultiplier: '2', takeProfitMultiplier: '3', minDistancePct: '0.01', maxDistancePct: '0.1' } }],
    ['dynamic stops with the defaults', { method: 'FIXED_PERCENT', percent: '0.05', stops: { method: 'ATR' } }],
  ];
  it.each(valid)('when the body sizes by %s, then it parses', (_name, body) => {
    expect(problems(positionSizingBody, { ...base, ...body })).toEqual([]);
  });

  const invalid: Array<[string, Record<string, unknown>, string]> = [
    ['no method is given', { amount: '5000' }, 'method'],
    ['the method is unknown', { method: 'MARTINGALE' }, 'method'],
    ['an amount is a JSON number', { method: 'FIXED_DOLLAR', amount: 5000 }, 'amount'],
    ['an amount is zero', { method: 'FIXED_DOLLAR', amount: '0' }, 'amount'],
    ['an amount is missing', { method: 'FIXED_DOLLAR' }, 'amount'],
    ['a percent is above 1', { method: 'FIXED_PERCENT', percent: '1.5' }, 'percent'],
    ['a win probability is above 1', { method: 'KELLY', winProbability: '1.2', payoffRatio: '2' }, 'winProbability'],
    ['a Kelly fraction is zero', { method: 'KELLY', winProbability: '0.6', payoffRatio: '2', fraction: '0' }, 'fraction'],
    ['a payoff ratio is negative', { method: 'KELLY', winProbability: '0.6', payoffRatio: '-2' }, 'payoffRatio'],
    ['another volatility is zero', { method: 'RISK_PARITY', assetVolatility: '0.2', otherVolatilities: ['0.1', '0'] }, 'otherVolatilities.1'],
    ['the trade results are empty', { method: 'OPTIMAL_F', tradeResults: [] }, 'tradeResults'],
    ['a trade result is in exponent notation', { method: 'OPTIMAL_F', tradeResults: ['-1e3'] }, 'tradeResults.0'],
    ['a confidence is above 1', { method: 'FIXED_PERCENT', percent: '0.05', confidence: '1.01' }, 'confidence'],
    ['a confidence-weighted size has no confidence', { method: 'CONFIDENCE_WEIGHTED' }, 'confidence'],
    ['a field of another method is given', { method: 'FIXED_PERCENT', percent: '0.05', amount: '10' }, 'body'],
    ['both a stop loss and dynamic stops are given', { method: 'FIXED_PERCENT', percent: '0.05', stopLoss: '180', stops: { method: 'ATR' } }, 'stops'],
    ['the stop method is unknown', { method: 'FIXED_PERCENT', percent: '0.05', stops: { method: 'VWAP' } }, 'stops.method'],
    ['a STDDEV lookback is one day', { method: 'FIXED_PERCENT', percent: '0.05', stops: { method: 'STDDEV', lookbackDays: 1 } }, 'stops.lookbackDays'],
    ['a lookback is fractional', { method: 'FIXED_PERCENT', percent: '0.05', stops: { method: 'ATR', lookbackDays: 2.5 } }, 'stops.lookbackDays'],
    ['the min distance is above the max', { method: 'FIXED_PERCENT', percent: '0.05', stops: { method: 'ATR', minDistancePct: '0.3', maxDistancePct: '0.2' } }, 'stops.minDistancePct'],
    ['the max distance is 100 %', { method: 'FIXED_PERCENT', percent: '0.05', stops: { method: 'ATR', maxDistancePct: '1' } }, 'stops.maxDistancePct'],
    ['a stop multiplier is zero', { method: 'FIXED_PERCENT', percent: '0.05', stops: { method: 'ATR', stopMultiplier: '0' } }, 'stops.stopMultiplier'],
    ['the side is not BUY or SELL', { method: 'FIXED_PERCENT', percent: '0.05', side: 'HOLD' }, 'side'],
    ['the portfolio id is no UUID', { method: 'FIXED_PERCENT', percent: '0.05', portfolioId: 'abc' }, 'portfolioId'],
  ];
  it.each(invalid)('when %s, then the 400 names %#', (_name, body, field) => {
    expect(problems(positionSizingBody, { ...base, ...body })).toContain(field);
  });

  it('when an order carries a sizing spec, then it has no request fields: portfolioId there is refused', () => {
    expect(problems(sizingSpecSchema, { method: 'FIXED_PERCENT', percent: '0.05' })).toEqual([]);
    expect(problems(sizingSpecSchema, { method: 'FIXED_PERCENT', percent: '0.05', portfolioId: P })).toEqual(['body']);
  });
});

describe('sizing method fields, read off the schema', () => {
  const cases: Array<[string, string[], string[]]> = [
    ['FIXED_DOLLAR', ['amount'], ['confidence', 'stopLoss', 'openRisk']],
    ['KELLY', ['winProbability', 'payoffRatio'], ['confidence', 'stopLoss', 'openRisk', 'fraction']],
    ['CONFIDENCE_WEIGHTED', ['confidence'], ['stopLoss', 'openRisk']],
    ['OPTIMAL_F', ['tradeResults'], ['confidence', 'stopLoss', 'openRisk']],
  ];
  it.each(cases)('when the fields of %s are listed, then the required and optional ones are the schema\'s', (method, required, optional) => {
    const fields = sizingMethodFields()[method]!;
    expect(fields.filter((f) => f.required).map((f) => f.name).sort()).toEqual([...required].sort());
    expect(fields.filter((f) => !f.required).map((f) => f.name).sort()).toEqual([...optional].sort());
  });
});

describe('PUT /v1/portfolios/:id/sizing-settings bodies', () => {
  const defaults = { maxPortfolioRisk: '0.02', maxPositionRisk: '0.005', baseSize: '0.02', confidenceMultiplier: '2', kellyFraction: '0.25', minConfidence: '0.6' };
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['the defaults', {}, []],
    ['every fraction at 1 and a version', { maxPortfolioRisk: '1', maxPositionRisk: '1', baseSize: '1', kellyFraction: '1', minConfidence: '1', expectedVersion: 3 }, []],
    ['a fraction of zero', { maxPortfolioRisk: '0' }, ['maxPortfolioRisk']],
    ['a fraction above 1', { baseSize: '1.5' }, ['baseSize']],
    ['a zero multiplier', { confidenceMultiplier: '0' }, ['confidenceMultiplier']],
    ['a multiplier as a JSON number', { confidenceMultiplier: 2 }, ['confidenceMultiplier']],
    ['a position cap above the portfolio cap', { maxPositionRisk: '0.03' }, ['maxPositionRisk']],
    ['a negative expected version', { expectedVersion: -1 }, ['expectedVersion']],
    ['a missing field', { kellyFraction: undefined }, ['kellyFraction']],
    ['an unknown field', { maxLeverage: '2' }, ['body']],
  ];
  it.each(cases)('when the body has %s, then the fields named are %j', (_name, over, fields) => {
    expect(problems(sizingSettingsBody, JSON.parse(JSON.stringify({ ...defaults, ...over })))).toEqual(fields);
  });
});

describe('cross-field rules never see a bad field', () => {
  const settings = { maxPortfolioRisk: '0.02', maxPositionRisk: '0.005', baseSize: '0.02', confidenceMultiplier: '2', kellyFraction: '0.25', minConfidence: '0.6' };
  const cases: Array<[string, Parameters<typeof parseRequest>[0], Record<string, unknown>, string[]]> = [
    ['a settings fraction is no decimal', sizingSettingsBody, { ...settings, maxPortfolioRisk: 'abc' }, ['maxPortfolioRisk']],
    ['a settings fraction is in exponent notation', sizingSettingsBody, { ...settings, maxPositionRisk: '5e-3' }, ['maxPositionRisk']],
    ['a stop distance is no decimal', positionSizingBody, { ...base, method: 'FIXED_PERCENT', percent: '0.1', stops: { method: 'ATR', minDistancePct: 'x', maxDistancePct: '0.1' } }, ['stops.minDistancePct']],
  ];
  it.each(cases)('when %s, then the 400 names only that field (no 500)', (_name, schema, body, fields) => {
    expect([...new Set(problems(schema, body))]).toEqual(fields);
  });
});
