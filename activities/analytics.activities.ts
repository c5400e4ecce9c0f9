import { createHash } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  ANALYTICS_FAILURES, INLINE_PAYLOAD_LIMIT_BYTES,
  type AnalyticsCommand, type AnalyticsKind, type AnalyticsOutcome, type AnalyticsPayload,
} from '../src/contracts/analytics-contracts';
import { analyticsSignedFields } from '../src/contracts/command-signatures';
import type { AnalyticsPayloads } from '../src/ports/analytics-payloads.port';
import type { AnalyticsInputs } from '../src/ports/analytics-inputs.port';
import { alignReturns } from '../src/domain/market/aligned-returns';
import type { AuditLog } from '../src/ports/audit.port';
import type { CommandVerifier } from '../src/ports/command-signature.port';
import { failFast } from './activity-failures';
import { currentExecution, refuseCommand } from './command-acceptance';

/** One kind of computation: the parsed input in, a JSON-serialisable result out. */
export type AnalyticsComputation = (input: unknown) => unknown;
export type AnalyticsComputations = Readonly<Partial<Record<AnalyticsKind, AnalyticsComputation>>>;

/** An error a computation raises for its input: its failure type, and details for the client. */
export class AnalyticsFailure extends Error {
  constructor(readonly type: (typeof ANALYTICS_FAILURES)[keyof typeof ANALYTICS_FAILURES], message: string, readonly details?: unknown) {
    super(message);
  }
}

export interface AnalyticsActivityDeps {
  readonly analyticsPayloads: AnalyticsPayloads;
  readonly analyticsInputs: AnalyticsInputs;
  readonly analyticsComputations: AnalyticsComputations;
  readonly verifier: CommandVerifier;
  readonly audit: AuditLog;
}

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Math activities: the analytics engine's computations, pure code between loading the input and storing the result. */
export function createAnalyticsActivities(deps: AnalyticsActivityDeps) {
  const { analyticsPayloads: payloads } = deps;

  async function text(payload: AnalyticsPayload): Promise<string> {
    if ('json' in payload) return payload.json;
    const stored = await payloads.load(payload.ref);
    if (stored === null) throw ApplicationFailure.nonRetryable(`no stored analytics payload ${payload.ref}`, ANALYTICS_FAILURES.AnalyticsInputInvalid);
    return stored;
  }

  async function accept(command: AnalyticsCommand, json: string): Promise<void> {
    const execution = currentExecution(Context.current().info);
    const refuse = (reason: string) => refuseCommand(deps.audit, 'analytics', { type: 'analytics', id: command.runId }, command.requestedBy, reason, execution);
    if (!deps.verifier.verify('analytics', analyticsSignedFields(command), command.signature)) throw await refuse('the signature is missing or does not match the command');
    if (sha256(json) !== command.inputDigest) throw await refuse('the input does not match the digest the gateway signed');
  }

  /** JSON text inline when small, else stored under `id`. */
  async function payloadOf(id: string, json: string): Promise<AnalyticsPayload> {
    if (Buffer.byteLength(json, 'utf8') <= INLINE_PAYLOAD_LIMIT_BYTES) return { json };
    await payloads.store(id, json);
    return { ref: id };
  }

  return {
    /**
     * Completes an input that names a portfolio from the database: its holdings as assets, their
     * weights (market value / equity; cash carries none) and sectors, and the returns of their stored
     * closes over `lookbackDays` on the dates all of them have. What the client gave explicitly wins.
     */
    async assembleAnalyticsInput(command: AnalyticsCommand): Promise<AnalyticsPayload> {
      return failFast(async () => {
        const json = await text(command.input);
        await accept(command, json);
        const input = JSON.parse(json) as Record<string, unknown>;
        const lookbackDays = typeof input.lookbackDays === 'number' ? input.lookbackDays : 252;
        const data = await deps.analyticsInputs.portfolioMarketData(command.portfolioId!, lookbackDays);
        if (data === null) throw ApplicationFailure.nonRetryable(`portfolio ${command.portfolioId} does not exist`, ANALYTICS_FAILURES.AnalyticsInputInvalid);
        if (data.holdings.length === 0) throw ApplicationFailure.nonRetryable(`portfolio ${command.portfolioId} holds nothing to analyse`, ANALYTICS_FAILURES.AnalyticsInputInvalid, { field: 'portfolioId' });
        const aligned = alignReturns(data.closes, lookbackDays);
        if (aligned.dates.length < 2) {
          throw ApplicationFailure.nonRetryable(`the holdings of portfolio ${command.portfolioId} share ${aligned.dates.length} daily returns: too few to analyse (load closes with POST /v1/price-history)`, ANALYTICS_FAILURES.AnalyticsInputInvalid, { field: 'lookbackDays' });
        }
        const weights = Object.fromEntries(data.holdings.map((h) => [h.symbol, h.marketValue / data.equity]));
        const assembled = {
          assets: aligned.assets, returns: aligned.returns, weights: aligned.assets.map((a) => weights[a]!),
          sectors: Object.fromEntries(data.holdings.map((h) => [h.symbol, h.sector])), dates: aligned.dates,
          // The strategy that opened each position (positions opened without one are UNASSIGNED).
          strategies: Object.fromEntries(data.holdings.map((h) => [h.symbol, h.strategy ?? 'UNASSIGNED'])),
          source: { portfolioId: command.portfolioId, lookbackDays, periods: aligned.dates.length, droppedDates: aligned.droppedDates, equity: data.equity },
          ...(command.kind === 'optimize' || command.kind === 'efficient-frontier' ? { constraints: { currentWeights: weights, ...(input.constraints as object | undefined) } } : {}),
        };
        const { portfolioId: _p, lookbackDays: _l, ...explicit } = input;
        // For the optimiser the holdings' weights are current weights, not an input of their own.
        const complete = command.kind === 'optimize' || command.kind === 'efficient-frontier'
          ? { ...assembled, weights: undefined, ...explicit, constraints: assembled.constraints }
          : { ...assembled, ...explicit };
        return payloadOf(`${command.runId}:assembled`, JSON.stringify(complete));
      });
    },

    /**
     * Verifies the gateway's signature over the run and the input's digest, computes, and answers
     * the result inline or, when large, stored under `<runId>:result` (a retry stores it once).
     */
    async computeAnalytics(command: AnalyticsCommand, assembled?: AnalyticsPayload): Promise<AnalyticsOutcome> {
      return failFast(async () => {
        const signed = await text(command.input);
        await accept(command, signed);
        // An assembled input is this workflow's own activity's result, built from the signed one.
        const json = assembled === undefined ? signed : await text(assembled);
        const compute = deps.analyticsComputations[command.kind];
        if (!compute) throw ApplicationFailure.nonRetryable(`no computation for ${command.kind}`, ANALYTICS_FAILURES.AnalyticsInputInvalid);
        const started = performance.now();
        let result: unknown;
        try {
          result = await compute(JSON.parse(json));
        } catch (err) {
          if (err instanceof AnalyticsFailure) throw ApplicationFailure.create({ type: err.type, message: err.message, nonRetryable: true, details: err.details === undefined ? [] : [err.details] });
          throw err;
        }
        const computeMs = performance.now() - started;
        return { kind: command.kind, result: await payloadOf(`${command.runId}:result`, JSON.stringify(result)), computeMs };
      });
    },
  };
}

export type AnalyticsActivities = ReturnType<typeof createAnalyticsActivities>;
