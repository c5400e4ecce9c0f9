// Every workflow the worker bundles. One file per workflow; orchestration only.
export { orderWorkflow } from './order.workflow';
export { reconcileOrdersWorkflow } from './reconcile-orders.workflow';
export { analyticsWorkflow } from './analytics.workflow';
export { rebalanceWorkflow } from './rebalance.workflow';
export { exitWorkflow } from './exit.workflow';
export { dailyRiskWorkflow, dailyRiskDayWorkflow, webhookDeliveryWorkflow, stopOutWorkflow } from './daily-risk.workflow';
export { scheduledRebalanceWorkflow } from './scheduled-rebalance.workflow';
export { killSwitchWorkflow } from './kill-switch.workflow';
