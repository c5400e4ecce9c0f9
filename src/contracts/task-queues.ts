/** Task queues: the worker polls these, the gateway starts workflows on them. */
export const ORDERS_TASK_QUEUE = 'riskflow-orders';
// TEMPORAL_TASK_QUEUE overrides it (one queue per deployment or test); both processes must agree.
