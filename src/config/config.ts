import path from 'node:path';
import { z } from 'zod';
import { TASK_QUEUES } from '../contracts/task-queues';
import { DEMO_PORTFOLIO } from '../domain/market/demo-market';

export const ROLES = ['viewer', 'trader', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Which portfolios a key may see and act on: all of them, or these (plus the ones its principal creates). */
export type PortfolioScope = 'all' | readonly string[];

export interface ApiKeyGrant {
  readonly key: string;
  readonly principal: string;
  readonly roles: readonly Role[];
  readonly portfolios: PortfolioScope;
}

/** The broker adapter and its settings. Only the paper venue exists yet; ccxt and IB follow. */
export const BROKER_KINDS = ['paper'] as const;
export interface BrokerSettings {
  readonly kind: (typeof BROKER_KINDS)[number];
  /** The paper venue's costs, as decimal strings: fee and slippage in basis points, minimum fee per fill. */
  readonly paper: { readonly feeBps: string; readonly slippageBps: string; readonly minFee: string };
}

/** How the worker and the gateway authenticate to Temporal and protect the connection. */
export interface TemporalSecurity {
  /** TLS to the frontend (on when any other setting here is given). */
  readonly tls: boolean;
  /** PEM of the CA that signed the server's certificate; else the system's CAs. */
  readonly caFile: string | undefined;
  /** mTLS: this client's certificate and key (PEM files), both or neither. */
  readonly clientCertFile: string | undefined;
  readonly clientKeyFile: string | undefined;
  /** SNI and name checked in the server's certificate, when it differs from the address's host. */
  readonly serverName: string | undefined;
  /** An API key sent as a bearer token (Temporal Cloud). Never logged. */
  readonly apiKey: string | undefined;
}

export interface RiskflowConfig {
  readonly environment: 'development' | 'production';
  readonly projectRoot: string;
  readonly dataDir: string;
  readonly gateway: {
    readonly host: string;
    readonly port: number;
    readonly decisionTimeoutMs: number;
    /** A worker silent this long counts as missing in /health. */
    readonly workerSilenceSeconds: number;
    /** How far a quote's asOf may be from the gateway's clock, either way. */
    readonly quoteMaxSkewSeconds: number;
  };
  readonly temporal: {
    readonly address: string;
    readonly namespace: string;
    readonly taskQueue: string;
    readonly uiPort: number;
    readonly security: TemporalSecurity;
  };
  /** undefined: run the embedded PostgreSQL. */
  readonly databaseUrl: string | undefined;
  readonly embeddedPostgresPort: number;
  readonly apiKeys: readonly ApiKeyGrant[];
  readonly broker: BrokerSettings;
  /** How often a worker records that it is alive. */
  readonly workerHeartbeatSeconds: number;
  /** How often the reconcile-orders Schedule settles stranded orders. */
  readonly reconcileIntervalMinutes: number;
  /** Hex or base64 of 32+ bytes; undefined in development (a key is kept in the data folder). Never logged. */
  readonly commandSigningKey: string | undefined;
  readonly demoMarket: boolean;
  /** The daily risk run and its Schedule. */
  readonly dailyRisk: DailyRiskConfig;
  /** Where alerts are posted, and the secret they are signed with (never logged). */
  readonly webhooks: { readonly urls: readonly string[]; readonly secret: string | undefined };
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

export const WEEKDAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface DailyRiskConfig {
  /** Create or update the `daily-risk` Schedule at worker start-up. */
  readonly scheduleEnabled: boolean;
  readonly hour: number;
  readonly minute: number;
  readonly days: readonly Weekday[];
  /** IANA time zone of the schedule, and of the run's date when none is given. */
  readonly timeZone: string;
  /** A run missed (server down) is still started within this long. */
  readonly catchupWindowMinutes: number;
  /** Portfolios checked at once. */
  readonly concurrency: number;
  /** Daily returns the VaR, ES, volatility and correlations are measured over. */
  readonly lookbackDays: number;
}

const DAY_NAMES: Readonly<Record<string, Weekday>> = { SUN: 'SUNDAY', MON: 'MONDAY', TUE: 'TUESDAY', WED: 'WEDNESDAY', THU: 'THURSDAY', FRI: 'FRIDAY', SAT: 'SATURDAY' };

/** `MON-FRI`, `MON,WED,FRI` or `SAT` into weekdays; null when it is none of these. */
export function parseWeekdays(text: string): Weekday[] | null {
  const days = new Set<Weekday>();
  for (const part of text.toUpperCase().split(',').map((p) => p.trim())) {
    const [a, b] = part.split('-').map((p) => DAY_NAMES[p.trim().slice(0, 3)]);
    if (a === undefined || (part.includes('-') && b === undefined)) return null;
    const start = WEEKDAYS.indexOf(a);
    const end = b === undefined ? start : WEEKDAYS.indexOf(b);
    if (end < start) return null;
    for (let i = start; i <= end; i++) days.add(WEEKDAYS[i]!);
  }
  return days.size > 0 ? WEEKDAYS.filter((d) => days.has(d)) : null;
}

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIGURATION';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** Demo keys exist only in development, so a new user can curl at once; production refuses them. */
export const DEMO_API_KEYS: readonly ApiKeyGrant[] = [
  { key: 'demo-viewer-key', principal: 'demo-viewer', roles: ['viewer'], portfolios: 'all' },
  { key: 'demo-trader-key', principal: 'demo-trader', roles: ['viewer', 'trader'], portfolios: 'all' },
  { key: 'demo-approver-key', principal: 'demo-approver', roles: ['viewer', 'approver'], portfolios: 'all' },
  { key: 'demo-admin-key', principal: 'demo-admin', roles: ['viewer', 'trader', 'approver', 'admin'], portfolios: 'all' },
  { key: 'demo-fund-trader-key', principal: 'demo-fund-trader', roles: ['viewer', 'trader'], portfolios: [DEMO_PORTFOLIO.id] },
];

const decimalString = z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal');
const port = z.coerce.number().int().min(1).max(65535);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const apiKeysSchema = z.array(z.object({
  key: z.string().min(16, 'API keys must be at least 16 characters'),
  principal: z.string().min(1),
  roles: z.array(z.enum(ROLES)).min(1),
  portfolios: z.union([z.literal('all'), z.array(z.string().uuid('must be "all" or a list of portfolio UUIDs').transform((id) => id.toLowerCase()))]).default('all'),
}));

const envSchema = z.object({
  RISKFLOW_ENV: z.enum(['development', 'production']).default('development'),
  RISKFLOW_DATA_DIR: z.string().optional(),
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: port.default(8080),
  ORDER_DECISION_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  QUOTE_MAX_SKEW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  WORKER_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(60).default(5),
  WORKER_SILENCE_SECONDS: z.coerce.number().int().min(2).max(600).default(15),
  RECONCILE_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(1440).default(5),
  TEMPORAL_ADDRESS: z.string().regex(/^[^:]+:\d+$/, 'must be host:port').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(TASK_QUEUES.orders),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_TLS: bool.optional(),
  TEMPORAL_TLS_CA_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_CERT_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  EMBEDDED_POSTGRES_PORT: port.default(54329),
  RISKFLOW_API_KEYS: z.string().optional(),
  RISKFLOW_COMMAND_SIGNING_KEY: z.string().optional(),
  BROKER: z.enum(BROKER_KINDS, { error: `must be one of ${BROKER_KINDS.join(', ')} (the ccxt and Interactive Brokers adapters are not available yet)` }).default('paper'),
  PAPER_FEE_BPS: decimalString.default('1'),
  PAPER_SLIPPAGE_BPS: decimalString.default('0'),
  PAPER_MIN_FEE: decimalString.default('0'),
  DEMO_MARKET: bool.optional(),
  DAILY_RISK_SCHEDULE: bool.optional(),
  DAILY_RISK_AT: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)').default('21:00'),
  DAILY_RISK_DAYS: z.string().default('MON-FRI'),
  DAILY_RISK_TIME_ZONE: z.string().default('UTC'),
  DAILY_RISK_CATCHUP_MINUTES: z.coerce.number().int().min(1).max(10_080).default(180),
  DAILY_RISK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  DAILY_RISK_LOOKBACK_DAYS: z.coerce.number().int().min(20).max(2520).default(252),
  RISKFLOW_WEBHOOK_URLS: z.string().optional(),
  RISKFLOW_WEBHOOK_SECRET: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

function parseApiKeys(raw: string | undefined, problems: string[]): ApiKeyGrant[] {
  if (raw === undefined || raw.trim() === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    problems.push('RISKFLOW_API_KEYS: must be a JSON array of {"key","principal","roles"}');
    return [];
  }
  const parsed = apiKeysSchema.safeParse(json);
  if (!parsed.success) {
    // Never echo the keys themselves.
    problems.push(...parsed.error.issues.map((i) => `RISKFLOW_API_KEYS[${i.path.join('.')}]: ${i.message}`));
    return [];
  }
  return parsed.data;
}

/** Decodes a command signing key given as 64+ hex digits or as base64 of 32+ bytes; null when it is neither. */
export function decodeSigningKey(text: string): Buffer | null {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64,}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  return key.length >= 32 ? key : null;
}

/** Reads the environment once, at start; the result is frozen and passed to whoever needs it. */
export function loadConfig(env: NodeJS.ProcessEnv, projectRoot: string, options: { servesHttp: boolean } = { servesHttp: true }): RiskflowConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const e = parsed.data;
  const problems: string[] = [];
  const configured = parseApiKeys(e.RISKFLOW_API_KEYS, problems);
  const production = e.RISKFLOW_ENV === 'production';
  if (production && options.servesHttp && configured.length === 0 && problems.length === 0) {
    problems.push('RISKFLOW_API_KEYS: production mode needs at least one configured API key');
  }
  // Empty counts as unset (docker compose passes `${VAR:-}` through as "").
  const signingKey = e.RISKFLOW_COMMAND_SIGNING_KEY?.trim() ? e.RISKFLOW_COMMAND_SIGNING_KEY : undefined;
  if (signingKey !== undefined && decodeSigningKey(signingKey) === null) problems.push('RISKFLOW_COMMAND_SIGNING_KEY: must be 64+ hex digits or base64 of 32+ bytes');
  if (production && signingKey === undefined) problems.push('RISKFLOW_COMMAND_SIGNING_KEY: production mode needs the key the gateway signs commands with');
  if ((e.TEMPORAL_TLS_CERT_FILE === undefined) !== (e.TEMPORAL_TLS_KEY_FILE === undefined)) {
    problems.push('TEMPORAL_TLS_CERT_FILE, TEMPORAL_TLS_KEY_FILE: mTLS needs both the client certificate and its key');
  }
  const securityGiven = [e.TEMPORAL_TLS_CA_FILE, e.TEMPORAL_TLS_CERT_FILE, e.TEMPORAL_TLS_SERVER_NAME, e.TEMPORAL_API_KEY].some((v) => v !== undefined);
  if (e.TEMPORAL_TLS === false && securityGiven) problems.push('TEMPORAL_TLS: is false while TLS settings or an API key are given');
  if (e.WORKER_SILENCE_SECONDS <= e.WORKER_HEARTBEAT_SECONDS) problems.push('WORKER_SILENCE_SECONDS: must be longer than WORKER_HEARTBEAT_SECONDS');
  const days = parseWeekdays(e.DAILY_RISK_DAYS);
  if (days === null) problems.push('DAILY_RISK_DAYS: must be days like MON-FRI or MON,WED,FRI');
  if (!isTimeZone(e.DAILY_RISK_TIME_ZONE)) problems.push('DAILY_RISK_TIME_ZONE: must be an IANA time zone such as UTC or America/New_York');
  const webhookUrls = (e.RISKFLOW_WEBHOOK_URLS ?? '').split(',').map((u) => u.trim()).filter((u) => u !== '');
  if (webhookUrls.some((u) => !/^https?:\/\/[^\s]+$/.test(u))) problems.push('RISKFLOW_WEBHOOK_URLS: must be comma-separated http(s) URLs');
  const webhookSecret = e.RISKFLOW_WEBHOOK_SECRET?.trim() ? e.RISKFLOW_WEBHOOK_SECRET : undefined;
  // Never echo the secret itself.
  if (webhookUrls.length > 0 && (webhookSecret === undefined || webhookSecret.length < 16)) problems.push('RISKFLOW_WEBHOOK_SECRET: webhooks need a signing secret of at least 16 characters');
  if (problems.length > 0) throw new ConfigError(problems);
  const [atHour, atMinute] = e.DAILY_RISK_AT.split(':').map(Number);
  const config: RiskflowConfig = {
    environment: e.RISKFLOW_ENV,
    projectRoot,
    dataDir: path.resolve(projectRoot, e.RISKFLOW_DATA_DIR ?? '.data'),
    gateway: { host: e.GATEWAY_HOST, port: e.GATEWAY_PORT, decisionTimeoutMs: e.ORDER_DECISION_TIMEOUT_MS, quoteMaxSkewSeconds: e.QUOTE_MAX_SKEW_SECONDS, workerSilenceSeconds: e.WORKER_SILENCE_SECONDS },
    workerHeartbeatSeconds: e.WORKER_HEARTBEAT_SECONDS,
    reconcileIntervalMinutes: e.RECONCILE_INTERVAL_MINUTES,
    temporal: {
      address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.TEMPORAL_TASK_QUEUE, uiPort: e.TEMPORAL_UI_PORT,
      security: {
        tls: e.TEMPORAL_TLS ?? securityGiven,
        caFile: e.TEMPORAL_TLS_CA_FILE, clientCertFile: e.TEMPORAL_TLS_CERT_FILE, clientKeyFile: e.TEMPORAL_TLS_KEY_FILE,
        serverName: e.TEMPORAL_TLS_SERVER_NAME, apiKey: e.TEMPORAL_API_KEY,
      },
    },
    databaseUrl: e.DATABASE_URL,
    embeddedPostgresPort: e.EMBEDDED_POSTGRES_PORT,
    apiKeys: production ? configured : [...configured, ...DEMO_API_KEYS],
    commandSigningKey: signingKey,
    broker: { kind: e.BROKER, paper: { feeBps: e.PAPER_FEE_BPS, slippageBps: e.PAPER_SLIPPAGE_BPS, minFee: e.PAPER_MIN_FEE } },
    demoMarket: e.DEMO_MARKET ?? !production,
    dailyRisk: {
      scheduleEnabled: e.DAILY_RISK_SCHEDULE ?? true, hour: atHour!, minute: atMinute!, days: days!, timeZone: e.DAILY_RISK_TIME_ZONE,
      catchupWindowMinutes: e.DAILY_RISK_CATCHUP_MINUTES, concurrency: e.DAILY_RISK_CONCURRENCY, lookbackDays: e.DAILY_RISK_LOOKBACK_DAYS,
    },
    webhooks: { urls: webhookUrls, secret: webhookSecret },
    logLevel: e.LOG_LEVEL,
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
