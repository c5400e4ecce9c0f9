import type { BrokerOrderRef, BrokerOrderReportDto, BrokerSubmission, CheckedSubmissionDto } from '../src/contracts/broker-contracts';
import { toBrokerReportDto, toOrderKey, toReportToBook } from '../src/contracts/wire-mappers';
import { checkAtSubmission } from '../src/domain/risk/submission-check';
import { price } from '../src/domain/values/price';
import { quantity } from '../src/domain/values/quantity';
import type { BooksPort } from '../src/ports/books.port';
import type { BrokerPort } from '../src/ports/broker.port';
import type { Clock } from '../src/ports/clock.port';
import type { RiskContextPort } from '../src/ports/risk-context.port';
import { failFast } from './activity-failures';

export interface BrokerActivityDeps {
  readonly broker: BrokerPort;
  /** The last check before the broker reads the order and the quote as they are when it is sent. */
  readonly riskContext: RiskContextPort;
  readonly clock: Clock;
  /** What the broker reports at submission is booked in the same step. */
  readonly books: BooksPort;
}

/** Broker activities: every call to the venue. Each is idempotent on the order key. */
export function createBrokerActivities({ broker, riskContext, clock, books }: BrokerActivityDeps) {
  const submit = async (submission: BrokerSubmission) => toBrokerReportDto(await broker.submitOrder({
    orderKey: toOrderKey(submission), symbol: submission.symbol, side: submission.side, type: submission.type,
    quantity: quantity(submission.quantity), limitPrice: submission.limitPrice === null ? null : price(submission.limitPrice),
  }));
  return {
    /** Sends the order to the broker; a repeat reports the order already sent. */
    async submitOrderToBroker(submission: BrokerSubmission): Promise<BrokerOrderReportDto> {
      return failFast(() => submit(submission));
    },

    /**
     * The order's way to the broker, in the step that follows its decision: the price collar once
     * more against the quote as it is now, the broker, and the books for what the broker answers.
     * An order the check stops is REJECTED and never sent; one it clears stays cleared, so a retry
     * (the venue or the database was away) sends it again without checking, the venue answers the
     * order it already has, and the books take each execution once. Booking here, at once, keeps the
     * books a moment behind the venue instead of a workflow task behind it.
     */
    async checkSubmitAndBook(orderId: string, submission: BrokerSubmission): Promise<CheckedSubmissionDto> {
      return failFast(async () => {
        const checked = await riskContext.confirmAtSubmission(orderId, (input) => checkAtSubmission({ ...input, asOf: clock.now() }));
        // Never to be sent: rejected (by this check, an earlier attempt's, or the broker's answer booked then), or never approved.
        if (checked.status === 'REJECTED' || checked.status === 'DENIED') return { kind: 'STOPPED', progress: checked };
        // Past APPROVED otherwise: an earlier attempt sent and booked it and its answer was lost; what was booked stands.
        if (checked.status !== 'APPROVED') return { kind: 'SENT', progress: checked };
        const report = await submit(submission);
        return { kind: 'SENT', progress: await books.bookBrokerReport(orderId, toReportToBook(report)) };
      });
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
