import { createHash } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  ANALYTICS_FAILURES, INLINE_PAYLOAD_LIMIT_BYTES,
  type AnalyticsCommand, type AnalyticsKind, type AnalyticsOutcome, type AnalyticsPayload,
} from '../src/contracts/analytics-contracts';
import { analyticsSignedFields } from '../src/contracts/command-signatures';
import type { AnalyticsPayloads } from '../src/ports/analytics-payloads.port';
import type { AuditLog } from '../src/ports/audit.port';
import type { CommandVerifier } from '../src/ports/command-signature.port';
import { failFast } from './activity-failures';
import { currentExecution } from './command-acceptance';

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

  return {
    /**
     * Verifies the gateway's signature over the run and the input's digest, computes, and answers
     * the result inline or, when large, stored under `<runId>:result` (a retry stores it once).
     */
    async computeAnalytics(command: AnalyticsCommand): Promise<AnalyticsOutcome> {
      return failFast(async () => {
        const execution = currentExecution(Context.current().info);
        const json = await text(command.input);
        const refuse = async (reason: string) => {
          await deps.audit.record({ principal: command.requestedBy || '(none)', action: 'command.refused', entityType: 'analytics', entityId: command.runId, details: { kind: 'analytics', reason, workflowId: execution.workflowId } });
          return ApplicationFailure.nonRetryable(`analytics command refused: ${reason}`, 'CommandRejected');
        };
        if (!deps.verifier.verify('analytics', analyticsSignedFields(command), command.signature)) throw await refuse('the signature is missing or does not match the command');
        if (sha256(json) !== command.inputDigest) throw await refuse('the input does not match the digest the gateway signed');
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
        const out = JSON.stringify(result);
        if (Buffer.byteLength(out, 'utf8') <= INLINE_PAYLOAD_LIMIT_BYTES) return { kind: command.kind, result: { json: out }, computeMs };
        const ref = `${command.runId}:result`;
        await payloads.store(ref, out);
        return { kind: command.kind, result: { ref }, computeMs };
      });
    },
  };
}

export type AnalyticsActivities = ReturnType<typeof createAnalyticsActivities>;
