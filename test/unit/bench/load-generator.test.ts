import { merge, runLoad, summarise } from '../../../bench/load-generator';

/** A request that takes `ms` on the fake clock. */
const takes = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('load generator', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  async function run(total: number, clients: number, msOf: (i: number) => number) {
    const done = runLoad(total, clients, (i) => takes(msOf(i)));
    await jest.runAllTimersAsync();
    return done;
  }

  it.each([
    { when: 'every answer takes 10 ms on 4 lanes', total: 40, clients: 4, msOf: () => 10, throughput: 400 },
    { when: 'the last request sent waits a second (a straggler in the drain)', total: 40, clients: 4, msOf: (i: number) => (i === 39 ? 1000 : 10), throughput: 400 },
    { when: 'one lane', total: 20, clients: 1, msOf: () => 10, throughput: 100 },
  ])('when $when, then throughput is the steady rate', async ({ total, clients, msOf, throughput }) => {
    const result = await run(total, clients, msOf);
    expect(result.latenciesMs).toHaveLength(total);
    expect(summarise(result).throughputPerSec).toBeCloseTo(throughput, 6);
  });

  it('when a request stalls while every lane has work, then the steady rate pays for it', async () => {
    // Lane 0's second request takes 100 ms instead of 10: the other three lanes carry on.
    const result = await run(40, 4, (i) => (i === 4 ? 100 : 10));
    expect(summarise(result).throughputPerSec).toBeLessThan(400);
    expect(summarise(result).throughputPerSec).toBeGreaterThan(250);
  });

  it('when two rounds are merged, then their steady parts add up and every latency is kept', async () => {
    const a = await run(40, 4, () => 10);
    const b = await run(40, 4, () => 20);
    const both = merge(a, b);
    expect(both.latenciesMs).toHaveLength(80);
    expect(summarise(both).throughputPerSec).toBeCloseTo((a.steadyAnswered + b.steadyAnswered) * 1000 / (a.steadyMs + b.steadyMs), 9);
  });
});
