import { readFile } from 'node:fs/promises';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
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

/**
 * For the gateway, which answers people: an unreachable Temporal fails a call in about a second
 * (three quick retries, not the client's default ten over twenty seconds), and a Temporal that
 * comes back is reconnected within two seconds.
 */
export const GATEWAY_CONNECTION_TUNING = {
  interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 3, initialIntervalMs: () => 100, maxIntervalMs: () => 500 }))],
  channelArgs: { 'grpc.initial_reconnect_backoff_ms': 200, 'grpc.max_reconnect_backoff_ms': 2_000, 'grpc.min_reconnect_backoff_ms': 100 },
  connectTimeout: 2_000,
};

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
