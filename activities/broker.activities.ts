import type { BrokerOrderRef, BrokerOrderReportDto, BrokerSubmission } from '../src/contracts/broker-contracts';
import { toBrokerReportDto, toOrderKey } from '../src/contracts/wire-mappers';
import { price } from '../src/domain/values/price';
import { quantity } from '../src/domain/values/quantity';
import type { BrokerPort } from '../src/ports/broker.port';
import { failFast } from './activity-failures';

export interface BrokerActivityDeps {
  readonly broker: BrokerPort;
}

/** Broker activities: every call to the venue. Each is idempotent on the order key. */
export function createBrokerActivities({ broker }: BrokerActivityDeps) {
  return {
    /** Sends the order to the broker; a repeat reports the order already sent. */
    async submitOrderToBroker(submission: BrokerSubmission): Promise<BrokerOrderReportDto> {
      return failFast(async () => toBrokerReportDto(await broker.submitOrder({
        orderKey: toOrderKey(submission), symbol: submission.symbol, side: submission.side, type: submission.type,
        quantity: quantity(submission.quantity), limitPrice: submission.limitPrice === null ? null : price(submission.limitPrice),
      })));
    },

    /** Asks the broker where the order stands (a resting paper order is matched against the latest quote). */
    async refreshBrokerOrder(ref: BrokerOrderRef): Promise<BrokerOrderReportDto | null> {
      return failFast(async () => {
        const report = await broker.refreshOrder(toOrderKey(ref));
        return report === null ? null : toBrokerReportDto(report);
      });
    },

    async cancelBrokerOrder(ref: BrokerOrderRef): Promise<BrokerOrderReportDto> {
      return failFast(async () => toBrokerReportDto(await broker.cancelOrder(toOrderKey(ref))));
    },
  };
}

export type BrokerActivities = ReturnType<typeof createBrokerActivities>;
