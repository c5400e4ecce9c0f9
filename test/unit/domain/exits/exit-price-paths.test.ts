import { EXIT_PRICE_PATHS, simulateExitPricePath } from './exit-price-paths';

describe('exit price paths (the fixture the exit workflow replays end to end)', () => {
  it.each(EXIT_PRICE_PATHS.map((path) => [path.name, path] as const))('when %s is played, then the exits and the P&L are the hand-computed ones', (_name, path) => {
    const { state, tranches } = simulateExitPricePath(path);
    expect(tranches).toEqual(path.expected.tranches);
    expect(state.realizedPnl.toFixed()).toBe(path.expected.realizedPnl);
    expect(state.tranches.map((t) => t.realizedPnl).reduce((a, b) => a.plus(b)).toFixed()).toBe(path.expected.realizedPnl);
    expect(state.status).toBe('CLOSED');
    expect(state.remaining.toFixed()).toBe('0');
  });

  it('when a path is played twice, then the tranche ids and the final state are identical (deterministic)', () => {
    for (const path of EXIT_PRICE_PATHS) {
      expect(simulateExitPricePath(path)).toEqual(simulateExitPricePath(path));
    }
  });
});
