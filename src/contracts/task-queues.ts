/** Task queues: the worker polls these, the gateway starts workflows on them. */
export const ORDERS_TASK_QUEUE = 'riskflow-orders';
