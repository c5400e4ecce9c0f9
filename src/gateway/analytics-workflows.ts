import { WorkflowFailedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, TypedSearchAttributes } from '@temporalio/common';
import { ANALYTICS_FAILURES, analyticsWorkflowId, type AnalyticsCommand, type AnalyticsOutcome } from '../contracts/analytics-contracts';
import { PORTFOLIO_ID_ATTRIBUTE } from '../contracts/search-attributes';
import { resultWithin } from './bounded-wait';
import { HttpError } from './http-errors';
import { TEMPORAL_CALL_DEADLINE_MS } from './order-workflows';

/** The memo key under which a run names its portfolio (null: a run over given data). */
const PORTFOLIO_MEMO = 'portfolioId';

export type AnalyticsRun = { readonly kind: 'done'; readonly outcome: AnalyticsOutcome } | { readonly kind: 'running' } | { readonly kind: 'unknown' };

/** The failure a computation answered, as the client's error: a bad input 400, an impossible problem 422. */
function toClientError(err: unknown): unknown {
  if (!(err instanceof WorkflowFailedError)) return err;
  const cause = err.cause instanceof ActivityFailure ? err.cause.cause : err.cause;
  if (!(cause instanceof ApplicationFailure)) return err;
  const details = cause.details?.[0];
  switch (cause.type) {
    case ANALYTICS_FAILURES.AnalyticsInputInvalid:
      return new HttpError(400, 'ANALYTICS_INPUT_INVALID', cause.message, details);
    case ANALYTICS_FAILURES.InfeasibleConstraints:
      return new HttpError(422, 'INFEASIBLE_CONSTRAINTS', cause.message, details);
    case ANALYTICS_FAILURES.SolverFailed:
      return new HttpError(422, 'SOLVER_FAILED', cause.message, details);
    default:
      return err;
  }
}

/** Waits for a run's outcome at most `waitMs`; a failure the computation answered becomes the client's error. */
async function within(result: Promise<AnalyticsOutcome>, waitMs: number): Promise<AnalyticsRun> {
  try {
    const first = await resultWithin(result, waitMs);
    return first === 'running' ? { kind: 'running' } : { kind: 'done', outcome: first };
  } catch (err) {
    throw toClientError(err);
  }
}

/** Starts analytics runs as workflows and answers their outcome within a bounded wait. */
export function createAnalyticsWorkflows(client: Client, taskQueue: string, waitMs: number) {
  return {
    async run(command: AnalyticsCommand): Promise<AnalyticsRun> {
      const handle = await client.connection.withDeadline(Date.now() + TEMPORAL_CALL_DEADLINE_MS, () =>
        client.workflow.start('analyticsWorkflow', {
          workflowId: analyticsWorkflowId(command.runId), taskQueue, args: [command],
          // Who may see the run, without reading its (possibly large) input back; the Temporal UI filters runs by portfolio.
          memo: { [PORTFOLIO_MEMO]: command.portfolioId ?? null },
          ...(command.portfolioId !== undefined && { typedSearchAttributes: new TypedSearchAttributes([{ key: PORTFOLIO_ID_ATTRIBUTE, value: command.portfolioId }]) }),
        }));
      return within(handle.result() as Promise<AnalyticsOutcome>, waitMs);
    },
    /** The portfolio a run was started for (its command's), or null; undefined when there is no such run. */
    async portfolioOf(runId: string): Promise<string | null | undefined> {
      const handle = client.workflow.getHandle(analyticsWorkflowId(runId));
      try {
        const described = await client.connection.withDeadline(Date.now() + TEMPORAL_CALL_DEADLINE_MS, () => handle.describe());
        const memo = described.memo ?? {};
        if (PORTFOLIO_MEMO in memo) return (memo[PORTFOLIO_MEMO] as string | null) ?? null;
        // A run started before the memo: its command's portfolio, from the first event of its history.
        const history = await client.connection.withDeadline(Date.now() + TEMPORAL_CALL_DEADLINE_MS, () => handle.fetchHistory());
        const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
        const payload = started?.input?.payloads?.[0];
        const command = payload ? client.options.loadedDataConverter.payloadConverter.fromPayload<AnalyticsCommand>(payload) : undefined;
        return command?.portfolioId ?? null;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      }
    },
    /** A run started earlier (a 202 answer): its outcome if it has one within a short wait. */
    async find(runId: string): Promise<AnalyticsRun> {
      const handle = client.workflow.getHandle(analyticsWorkflowId(runId));
      try {
        await client.connection.withDeadline(Date.now() + TEMPORAL_CALL_DEADLINE_MS, () => handle.describe());
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return { kind: 'unknown' };
        throw err;
      }
      return within(handle.result() as Promise<AnalyticsOutcome>, 1_000);
    },
  };
}

export type AnalyticsWorkflows = ReturnType<typeof createAnalyticsWorkflows>;
