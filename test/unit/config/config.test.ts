import { ConfigError, DEMO_API_KEYS, loadConfig } from '../../../src/config/config';

const ROOT = '/srv/riskflow';
const KEYS = JSON.stringify([{ key: 'a-production-key-0123456789', principal: 'ops', roles: ['admin'] }]);
const SIGNING = { RISKFLOW_COMMAND_SIGNING_KEY: 'a'.repeat(64) };

describe('configuration', () => {
  it('when nothing is set, then development defaults apply with the demo keys', () => {
    const config = loadConfig({}, ROOT);
    expect(config).toMatchObject({
      environment: 'development', dataDir: '/srv/riskflow/.data', gateway: { host: '127.0.0.1', port: 8080 },
      temporal: { address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'riskflow-orders', uiPort: 8233 },
      databaseUrl: undefined, demoMarket: true,
    });
    expect(config.apiKeys).toEqual(DEMO_API_KEYS);
    expect(Object.isFrozen(config.gateway)).toBe(true);
  });

  it('when production has no API keys, then start-up is refused naming RISKFLOW_API_KEYS', () => {
    expect(() => loadConfig({ RISKFLOW_ENV: 'production' }, ROOT)).toThrow(/RISKFLOW_API_KEYS/);
  });

  it('when production has keys, then only those keys exist and the demo market is off', () => {
    const config = loadConfig({ RISKFLOW_ENV: 'production', RISKFLOW_API_KEYS: KEYS, ...SIGNING }, ROOT);
    expect(config.apiKeys.map((k) => k.principal)).toEqual(['ops']);
    expect(config.demoMarket).toBe(false);
  });

  const invalid: Array<[string, NodeJS.ProcessEnv, string]> = [
    ['the gateway port is not a number', { GATEWAY_PORT: 'eighty' }, 'GATEWAY_PORT'],
    ['the Temporal address has no port', { TEMPORAL_ADDRESS: 'localhost' }, 'TEMPORAL_ADDRESS'],
    ['the database URL is not postgres', { DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    ['a fee is negative', { PAPER_FEE_BPS: '-1' }, 'PAPER_FEE_BPS'],
    ['the API keys are not JSON', { RISKFLOW_API_KEYS: 'key=alice' }, 'RISKFLOW_API_KEYS'],
    ['an API key is too short', { RISKFLOW_API_KEYS: JSON.stringify([{ key: 'short', principal: 'a', roles: ['viewer'] }]) }, 'RISKFLOW_API_KEYS'],
    ['a role is unknown', { RISKFLOW_API_KEYS: JSON.stringify([{ key: 'long-enough-key-123456', principal: 'a', roles: ['god'] }]) }, 'RISKFLOW_API_KEYS'],
    ['a key\'s portfolios are neither "all" nor UUIDs', { RISKFLOW_API_KEYS: JSON.stringify([{ key: 'long-enough-key-123456', principal: 'a', roles: ['viewer'], portfolios: ['fund-1'] }]) }, 'RISKFLOW_API_KEYS'],
    ['the quote skew is zero', { QUOTE_MAX_SKEW_SECONDS: '0' }, 'QUOTE_MAX_SKEW_SECONDS'],
    ['the command signing key is short', { RISKFLOW_COMMAND_SIGNING_KEY: 'abcd' }, 'RISKFLOW_COMMAND_SIGNING_KEY'],
    ['production has no command signing key', { RISKFLOW_ENV: 'production', RISKFLOW_API_KEYS: KEYS }, 'RISKFLOW_COMMAND_SIGNING_KEY'],
    ['webhook URLs come without a secret', { RISKFLOW_WEBHOOK_URLS: 'https://alerts.example/hook' }, 'RISKFLOW_WEBHOOK_SECRET'],
    ['a webhook URL is not http(s)', { RISKFLOW_WEBHOOK_URLS: 'ftp://x', RISKFLOW_WEBHOOK_SECRET: 'a-long-enough-secret' }, 'RISKFLOW_WEBHOOK_URLS'],
    ['the daily risk time is not HH:MM', { DAILY_RISK_AT: '9pm' }, 'DAILY_RISK_AT'],
    ['the daily risk days are not days', { DAILY_RISK_DAYS: 'FRI-MON' }, 'DAILY_RISK_DAYS'],
    ['the daily risk time zone is unknown', { DAILY_RISK_TIME_ZONE: 'Mars/Olympus' }, 'DAILY_RISK_TIME_ZONE'],
  ];

  it('when a key names its portfolios, then they are kept lower-cased; without them, the key sees all', () => {
    const config = loadConfig({ RISKFLOW_ENV: 'production', ...SIGNING, RISKFLOW_API_KEYS: JSON.stringify([
      { key: 'a-scoped-key-0123456789', principal: 'ann', roles: ['trader'], portfolios: ['0B9C6F4E-2A7D-4C55-8F1E-3D2A1B0C9E8F'] },
      { key: 'a-global-key-0123456789', principal: 'gus', roles: ['viewer'] },
    ]) }, ROOT);
    expect(config.apiKeys.map((k) => k.portfolios)).toEqual([['0b9c6f4e-2a7d-4c55-8f1e-3d2a1b0c9e8f'], 'all']);
  });
  it.each(invalid)('when %s, then a ConfigError names the variable', (_name, env, variable) => {
    let error: unknown;
    try {
      loadConfig(env, ROOT);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(variable);
  });

  it('when an API key is rejected, then the error never echoes the key', () => {
    const secret = 'short-secret';
    expect(() => loadConfig({ RISKFLOW_API_KEYS: JSON.stringify([{ key: secret, principal: 'a', roles: ['viewer'] }]) }, ROOT)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
  });

  it('when the daily risk settings are not set, then the run is at 21:00 UTC on weekdays with a 3-hour catch-up and no webhooks', () => {
    expect(loadConfig({}, ROOT)).toMatchObject({
      dailyRisk: { scheduleEnabled: true, hour: 21, minute: 0, days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], timeZone: 'UTC', catchupWindowMinutes: 180, concurrency: 16, lookbackDays: 252 },
      webhooks: { urls: [], secret: undefined },
    });
  });

  it('when the daily risk schedule and webhooks are configured, then they are parsed', () => {
    const config = loadConfig({ DAILY_RISK_AT: '17:30', DAILY_RISK_DAYS: 'MON,WED-FRI', DAILY_RISK_TIME_ZONE: 'America/New_York',
      RISKFLOW_WEBHOOK_URLS: 'https://a.example/h, http://127.0.0.1:9000/x', RISKFLOW_WEBHOOK_SECRET: 'a-long-enough-secret' }, ROOT);
    expect(config.dailyRisk).toMatchObject({ hour: 17, minute: 30, days: ['MONDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], timeZone: 'America/New_York' });
    expect(config.webhooks.urls).toEqual(['https://a.example/h', 'http://127.0.0.1:9000/x']);
  });

  it('when the webhook secret is refused, then the message never holds it', () => {
    expect(() => loadConfig({ RISKFLOW_WEBHOOK_URLS: 'https://a.example/h', RISKFLOW_WEBHOOK_SECRET: 'short-secret' }, ROOT)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('short-secret') }));
  });
});
