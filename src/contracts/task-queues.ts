/**
 * Task queues by role: workers poll them, the gateway starts workflows on them. One definition
 * each; a deployment (or a test) may rename the orders queue through TEMPORAL_TASK_QUEUE.
 */
export const TASK_QUEUES = {
  orders: 'riskflow-orders',
} as const;

export type TaskQueueRole = keyof typeof TASK_QUEUES;
