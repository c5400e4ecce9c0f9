import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrokerOrderReportDto, BrokerSubmission } from '../../../src/contracts/broker-contracts';
import { InvalidOrderRefError, toOrderKey, toReportToBook } from '../../../src/contracts/wire-mappers';

type Payload = { data: string };
type Event = {
  eventType: string;
  activityTaskScheduledEventAttributes?: { activityType: { name: string }; input?: { payloads: Payload[] } };
  activityTaskCompletedEventAttributes?: { scheduledEventId: string; result?: { payloads: Payload[] } };
  eventId: string;
};

/** The payloads that the code before the order key recorded in a history, by activity. */
function recorded(file: string) {
  const { events } = JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/histories', file), 'utf8')) as { events: Event[] };
  const decode = (p: Payload | undefined) => JSON.parse(Buffer.from(p!.data, 'base64').toString('utf8')) as unknown;
  const scheduled = events.filter((e) => e.activityTaskScheduledEventAttributes);
  const inputOf = (name: string) => scheduled.filter((e) => e.activityTaskScheduledEventAttributes!.activityType.name === name).map((e) => decode(e.activityTaskScheduledEventAttributes!.input?.payloads[0]));
  const resultOf = (name: string) => events.filter((e) => {
    const done = e.activityTaskCompletedEventAttributes;
    return done && scheduled.find((s) => s.eventId === done.scheduledEventId)?.activityTaskScheduledEventAttributes!.activityType.name === name;
  }).map((e) => decode(e.activityTaskCompletedEventAttributes!.result?.payloads[0]));
  return { inputOf, resultOf };
}

describe('payloads recorded before the order key and fee currencies', () => {
  const filled = recorded('order-market-buy-filled.json');
  const resting = recorded('order-limit-rests-then-fills.json');

  it('when an old broker report is booked, then its fee has no currency and the books take the portfolio\'s', () => {
    const [report] = filled.resultOf('submitOrderToBroker') as BrokerOrderReportDto[];
    const toBook = toReportToBook(report!);
    expect(toBook.executions).toHaveLength(1);
    expect(toBook.executions[0]).toMatchObject({ feeCurrency: null });
    expect(toBook.executions[0]?.fee.toFixed()).toBe(report!.executions[0]!.fee);
  });

  it('when an old submission carries a client order id, then it names the same order key', () => {
    const [submission] = filled.inputOf('submitOrderToBroker') as BrokerSubmission[];
    expect(submission).toHaveProperty('clientOrderId');
    const key = toOrderKey(submission!);
    expect(key.leg).toBe(1);
    expect(`${key.workflowId}-leg${key.leg}`).toBe(submission!.clientOrderId);
  });

  it('when an old refresh names its order by client order id, then it names the same order key', () => {
    const [ref] = resting.inputOf('refreshBrokerOrder') as string[];
    expect(typeof ref).toBe('string');
    expect(toOrderKey(ref!)).toEqual({ workflowId: ref!.replace(/-leg1$/, ''), leg: 1 });
  });

  it('when a new order key is given, then it is taken as it is', () => {
    expect(toOrderKey({ workflowId: 'order-x', leg: 2 })).toEqual({ workflowId: 'order-x', leg: 2 });
  });

  it.each([['no leg', 'order-x'], ['leg zero', 'order-x-leg0'], ['no key at all', { workflowId: 'order-x' }]])('when a ref has %s, then it is refused as invalid', (_name, ref) => {
    expect(() => toOrderKey(ref as never)).toThrow(InvalidOrderRefError);
  });
});
