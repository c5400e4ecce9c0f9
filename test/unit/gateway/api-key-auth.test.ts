import { createApiKeyAuthenticator } from '../../../src/gateway/api-key-auth';
import { createJsonLogger } from '../../../src/adapters/logging/json-logger';

describe('API key authentication', () => {
  const lookup = createApiKeyAuthenticator([
    { key: 'trader-key-0123456789', principal: 'tess', roles: ['viewer', 'trader'], portfolios: 'all' },
    { key: 'viewer-key-0123456789', principal: 'vic', roles: ['viewer'], portfolios: ['0b9c6f4e-2a7d-4c55-8f1e-3d2a1b0c9e8f'] },
  ]);

  it.each([
    ['trader-key-0123456789', 'tess'],
    ['viewer-key-0123456789', 'vic'],
  ])('when key %s is presented, then principal %s is found', (key, name) => {
    expect(lookup(key)?.name).toBe(name);
  });

  it('when a key names its portfolios, then the principal carries that scope', () => {
    expect(lookup('viewer-key-0123456789')?.portfolios).toEqual(['0b9c6f4e-2a7d-4c55-8f1e-3d2a1b0c9e8f']);
    expect(lookup('trader-key-0123456789')?.portfolios).toBe('all');
  });

  it.each(['', 'trader-key-012345678', 'TRADER-KEY-0123456789'])('when key "%s" is presented, then nobody is found', (key) => {
    expect(lookup(key)).toBeNull();
  });
});

describe('structured logger', () => {
  it('when fields carry secrets, then their values are redacted', () => {
    const lines: string[] = [];
    const logger = createJsonLogger('info', {}, (l) => lines.push(l));
    logger.info('connecting', { apiKey: 'k-123', password: 'p', authorization: 'Bearer x', symbol: 'AAPL' });
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ apiKey: '[redacted]', password: '[redacted]', authorization: '[redacted]', symbol: 'AAPL' });
  });
});
