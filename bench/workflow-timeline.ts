import type { Client } from '@temporalio/client';

/** Milliseconds between two history event times. */
const between = (from: unknown, to: unknown): number => {
  const ms = (t: unknown) => {
    const ts = t as { seconds?: { toNumber(): number } | number; nanos?: number } | null | undefined;
    const seconds = typeof ts?.seconds === 'number' ? ts.seconds : ts?.seconds?.toNumber() ?? 0;
    return seconds * 1000 + (ts?.nanos ?? 0) / 1e6;
  };
  return ms(to) - ms(from);
};

export interface FirstTaskTimeline {
  /** Server: workflow started → its first workflow task picked up by the worker (task dispatch). */
  readonly dispatchMs: number;
  /** Worker: the first workflow task from pickup to completion (for an order, the risk decision runs in it). */
  readonly firstTaskMs: number;
}

/** What the history of a workflow says about its first workflow task. */
export async function firstTaskTimeline(client: Client, workflowId: string): Promise<FirstTaskTimeline | null> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const time = (type: string) => events.find((e) => String(e.eventType) === type || e.eventType === (EVENT_TYPES as Record<string, number>)[type])?.eventTime;
  const started = time('WORKFLOW_EXECUTION_STARTED');
  const taskStarted = time('WORKFLOW_TASK_STARTED');
  const taskCompleted = time('WORKFLOW_TASK_COMPLETED');
  if (!started || !taskStarted || !taskCompleted) return null;
  return { dispatchMs: between(started, taskStarted), firstTaskMs: between(taskStarted, taskCompleted) };
}

/** temporal.api.enums.v1.EventType numbers of the events read here. */
const EVENT_TYPES = { WORKFLOW_EXECUTION_STARTED: 1, WORKFLOW_TASK_STARTED: 6, WORKFLOW_TASK_COMPLETED: 7 };

/** Every event of a workflow's history with its time since the start, for reading one order's path closely (BENCH_TRACE). */
export async function eventTimeline(client: Client, workflowId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const start = events[0]?.eventTime;
  return events.map((e) => {
    const type = typeof e.eventType === 'number' ? EVENT_TYPE_NAMES[e.eventType] ?? String(e.eventType) : String(e.eventType);
    const detail = e.markerRecordedEventAttributes?.markerName ?? e.activityTaskScheduledEventAttributes?.activityType?.name ?? '';
    return `${between(start, e.eventTime).toFixed(1).padStart(8)} ms  ${type}${detail ? ` (${detail})` : ''}`;
  });
}

/** temporal.api.enums.v1.EventType names, for the events an order's history holds. */
const EVENT_TYPE_NAMES: Record<number, string> = {
  1: 'WorkflowExecutionStarted', 2: 'WorkflowExecutionCompleted', 5: 'WorkflowTaskScheduled', 6: 'WorkflowTaskStarted', 7: 'WorkflowTaskCompleted',
  10: 'ActivityTaskScheduled', 11: 'ActivityTaskStarted', 12: 'ActivityTaskCompleted', 25: 'MarkerRecorded', 40: 'UpsertWorkflowSearchAttributes',
  41: 'WorkflowExecutionUpdateAccepted', 42: 'WorkflowExecutionUpdateRejected', 43: 'WorkflowExecutionUpdateCompleted',
};
