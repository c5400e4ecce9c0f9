import { readFile } from 'node:fs/promises';
import type { TemporalSecurity } from '../config/config';

/** What both Connection.connect (client) and NativeConnection.connect (worker) take for security. */
export interface TemporalConnectionOptions {
  readonly address: string;
  readonly tls?: {
    readonly serverNameOverride?: string;
    readonly serverRootCACertificate?: Buffer;
    readonly clientCertPair?: { readonly crt: Buffer; readonly key: Buffer };
  } | false;
  readonly apiKey?: string;
}

/** The connection options the configuration asks for; certificate files are read once, here. */
export async function temporalConnectionOptions(address: string, security: TemporalSecurity): Promise<TemporalConnectionOptions> {
  if (!security.tls) return { address };
  const [ca, crt, key] = await Promise.all([security.caFile, security.clientCertFile, security.clientKeyFile].map((f) => (f === undefined ? undefined : readFile(f))));
  return {
    address,
    tls: {
      ...(security.serverName !== undefined && { serverNameOverride: security.serverName }),
      ...(ca !== undefined && { serverRootCACertificate: ca }),
      ...(crt !== undefined && key !== undefined && { clientCertPair: { crt, key } }),
    },
    ...(security.apiKey !== undefined && { apiKey: security.apiKey }),
  };
}
