import { DEFAULT_SIGNAL_COMBINATION_SETTINGS } from '../../../src/domain/signals/signal-combination';
import { HttpError } from '../../../src/gateway/http-errors';
import { evaluateSignalsBody, strategyWeightsBody } from '../../../src/gateway/request-schemas';
import { parseRequest } from '../../../src/gateway/request-validation';
import { evaluateStrategySignals } from '../../../src/gateway/signal-evaluation-service';
import type { SignalSettingsPort, StoredSignalSettings } from '../../../src/ports/signal-settings.port';

const PORTFOLIO = 'de300000-0000-4000-8000-000000000001';
const buy = { strategyId: 'trend_following', direction: 'BUY' as const, strength: 0.8, confidence: 0.9 };

/** The 400's details, or null when the input parses. */
const problems = (schema: Parameters<typeof parseRequest>[0], body: unknown) => {
  try {
    parseRequest(schema, body);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(400);
    return ((err as HttpError).details as Array<{ field: string; rule: string }>).map((p) => [p.field, p.rule]);
  }
};

describe('the body of POST /v1/signals/evaluate', () => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['no signals', { portfolioId: PORTFOLIO, signals: [] }, 'signals', /at least one signal/],
    ['51 signals', { portfolioId: PORTFOLIO, signals: Array.from({ length: 51 }, (_, i) => ({ ...buy, strategyId: `s${i}` })) }, 'signals', /at most 50/],
    ['a confidence above 1', { portfolioId: PORTFOLIO, signals: [{ ...buy, confidence: 1.5 }] }, 'signals.0.confidence', /from 0 to 1/],
    ['a confidence as a string', { portfolioId: PORTFOLIO, signals: [{ ...buy, confidence: '0.9' }] }, 'signals.0.confidence', /number from 0 to 1/],
    ['a negative strength', { portfolioId: PORTFOLIO, signals: [{ ...buy, strength: -0.1 }] }, 'signals.0.strength', /from 0 to 1/],
    ['a direction that is none', { portfolioId: PORTFOLIO, signals: [{ ...buy, direction: 'LONG' }] }, 'signals.0.direction', /BUY, SELL, HOLD/],
    ['a strategy twice', { portfolioId: PORTFOLIO, signals: [buy, { ...buy, direction: 'SELL' }] }, 'signals.1.strategyId', /more than once/],
    ['a strategy id in capitals', { portfolioId: PORTFOLIO, signals: [{ ...buy, strategyId: 'Trend' }] }, 'signals.0.strategyId', /lower-case/],
    ['probabilities that do not sum to 1', { portfolioId: PORTFOLIO, signals: [{ ...buy, probabilities: { up: 0.6, down: 0.6, flat: 0 } }] }, 'signals.0.probabilities', /sum to 1/],
    ['an unknown field', { portfolioId: PORTFOLIO, signals: [{ ...buy, score: 1 }] }, 'signals.0', /score/],
    ['a negative override weight', { portfolioId: PORTFOLIO, signals: [buy], weights: { trend_following: -1 } }, 'weights.trend_following', /0 or more/],
    ['override weights all zero', { portfolioId: PORTFOLIO, signals: [buy], weights: { trend_following: 0 } }, 'weights', /at least one weight/],
    ['no portfolio', { signals: [buy] }, 'portfolioId', /.+/],
  ];
  it.each(cases)('when it has %s, then the 400 names the field and the rule', (_name, body, field, rule) => {
    const found = problems(evaluateSignalsBody, body);
    expect(found).not.toBeNull();
    expect(found).toContainEqual([field, expect.stringMatching(rule)]);
  });

  it('when it is well formed, then the portfolio id is lower-cased and the rest kept', () => {
    const parsed = parseRequest(evaluateSignalsBody, { portfolioId: PORTFOLIO.toUpperCase(), symbol: 'AAPL', signals: [buy], weights: { trend_following: 2 } });
    expect(parsed).toEqual({ portfolioId: PORTFOLIO, symbol: 'AAPL', signals: [buy], weights: { trend_following: 2 } });
  });
});

describe('the body of PUT /v1/portfolios/:id/strategy-weights', () => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['no weights', {}, 'weights', /object of strategy id to weight/],
    ['weights as a list', { weights: [1] }, 'weights', /object of strategy id to weight/],
    ['a strategy id with a space', { weights: { 'trend following': 1 } }, 'weights.trend following', /strategy id must be/],
    ['a weight above 10^6', { weights: { htf: 2e6 } }, 'weights.htf', /at most 1000000/],
    ['a minimum confidence above 1', { weights: { htf: 1 }, minConfidence: 1.2 }, 'minConfidence', /from 0 to 1/],
  ];
  it.each(cases)('when it has %s, then the 400 names the field and the rule', (_name, body, field, rule) => {
    expect(problems(strategyWeightsBody, body)).toContainEqual([field, expect.stringMatching(rule)]);
  });
});

describe('evaluating signals for a portfolio', () => {
  const port = (stored: StoredSignalSettings | null): SignalSettingsPort => ({ find: async () => stored, replace: async () => { throw new Error('not used'); } });
  const own: StoredSignalSettings = {
    settings: { ...DEFAULT_SIGNAL_COMBINATION_SETTINGS, weights: new Map([['news_driven', 1]]), minConfidence: 0.95 }, updatedBy: 'ops', updatedAt: new Date(0),
  };

  it('when the portfolio has no weights of its own, then the defaults combine, and a confident buy trades', async () => {
    const result = await evaluateStrategySignals({ signalSettings: port(null) }, { portfolioId: PORTFOLIO, signals: [buy] });
    expect(result).toMatchObject({ side: 'BUY', weightsSource: 'default', signal: { strategyId: 'combined', confidence: 0.9 } });
  });

  it('when the portfolio has its own weights, then they and its thresholds apply (its own weights ignore trend following)', async () => {
    const result = await evaluateStrategySignals({ signalSettings: port(own) }, { portfolioId: PORTFOLIO, signals: [buy] });
    expect(result).toMatchObject({ side: null, weightsSource: 'portfolio', evaluation: { ignored: [{ strategyId: 'trend_following', reason: 'UNKNOWN_STRATEGY' }] } });
  });

  it('when the request brings weights, then they replace the portfolio\'s, and its thresholds still apply', async () => {
    const result = await evaluateStrategySignals({ signalSettings: port(own) }, { portfolioId: PORTFOLIO, signals: [buy], weights: { trend_following: 1 } });
    expect(result).toMatchObject({ side: null, weightsSource: 'request', evaluation: { direction: 'BUY', reasons: [{ code: 'SIGNAL_CONFIDENCE_LOW', limit: 0.95, actual: 0.9 }] } });
  });

  it('when the combination refuses the input, then it is a 400 naming the field under the caller\'s prefix', async () => {
    const act = evaluateStrategySignals({ signalSettings: port(null) }, { portfolioId: PORTFOLIO, signals: [buy], weights: { htf: 0 } }, { fieldPrefix: 'combinedSignal.' });
    await expect(act).rejects.toMatchObject({ status: 400, code: 'VALIDATION_FAILED', details: [{ field: 'combinedSignal.weights', rule: 'at least one weight must be greater than 0' }] });
  });
});
