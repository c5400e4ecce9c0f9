import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config/config';
import { temporalConnectionOptions } from '../../../src/system/temporal-connection-options';

const ROOT = '/srv/riskflow';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'riskflow-tls-'));
  await Promise.all(['ca.pem', 'client.pem', 'client.key'].map((f) => writeFile(path.join(dir, f), `-----BEGIN ${f}-----`)));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const optionsFor = (env: Record<string, string>) => {
  const { temporal } = loadConfig(env, ROOT);
  return temporalConnectionOptions(temporal.address, temporal.security);
};

describe('Temporal connection security', () => {
  it('when nothing is set, then the connection is plain (the embedded dev server)', async () => {
    expect(await optionsFor({})).toEqual({ address: '127.0.0.1:7233' });
  });

  it('when mTLS files, a server name and an API key are set, then the client and the worker get them all', async () => {
    const options = await optionsFor({
      TEMPORAL_ADDRESS: 'riskflow.tmprl.cloud:7233', TEMPORAL_TLS_CA_FILE: path.join(dir, 'ca.pem'), TEMPORAL_TLS_CERT_FILE: path.join(dir, 'client.pem'),
      TEMPORAL_TLS_KEY_FILE: path.join(dir, 'client.key'), TEMPORAL_TLS_SERVER_NAME: 'frontend.internal', TEMPORAL_API_KEY: 'cloud-api-key',
    });
    expect(options).toMatchObject({ address: 'riskflow.tmprl.cloud:7233', apiKey: 'cloud-api-key', tls: { serverNameOverride: 'frontend.internal' } });
    expect(options.tls && options.tls.serverRootCACertificate?.toString()).toBe('-----BEGIN ca.pem-----');
    expect(options.tls && options.tls.clientCertPair?.key.toString()).toBe('-----BEGIN client.key-----');
  });

  it('when only TEMPORAL_TLS is on, then TLS uses the system\'s CAs', async () => {
    expect(await optionsFor({ TEMPORAL_TLS: 'true' })).toEqual({ address: '127.0.0.1:7233', tls: {} });
  });

  it.each([
    ['a client certificate comes without its key', { TEMPORAL_TLS_CERT_FILE: '/x.pem' }],
    ['TLS is off while an API key is given', { TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' }],
  ])('when %s, then the configuration is refused', (_name, env) => {
    expect(() => loadConfig(env, ROOT)).toThrow(ConfigError);
  });
});
