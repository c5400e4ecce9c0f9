import type { GatewayDeps } from './gateway-deps';

/**
 * Hands the webhooks queued with a trading-state change to a delivery workflow. The change is
 * already committed: if Temporal cannot be reached, the deliveries stay queued and the failure is
 * logged, not answered to the admin as a failed change.
 */
export async function announceStateChange(deps: Pick<GatewayDeps, 'webhookHandOff' | 'logger'>, deliveryIds: readonly string[]): Promise<void> {
  try {
    await deps.webhookHandOff.deliver(deliveryIds);
  } catch (err) {
    deps.logger.error('state change webhooks not handed on', { deliveryIds, error: err instanceof Error ? err.message : String(err) });
  }
}
