import {
  exitPlanFromDto, exitPlanToDto, exitPositionFromDto, exitPositionToDto, exitStateFromDto, exitStateToDto, exitTriggersToDto, type ExitStateDto,
} from '../../../../src/contracts/exit-contracts';
import { applyTrancheOutcome, nextTriggers, onMarket, startExit } from '../../../../src/domain/exits/exit-state';
import { resolveExitPlan } from '../../../../src/domain/exits/exit-plan-request';
import { price } from '../../../../src/domain/values/price';
import { quantity } from '../../../../src/domain/values/quantity';
import { exitFor, play, position, quoteAt } from './exit-test-helpers';

describe('exit contracts: the wire form', () => {
  const midway = () => {
    // L1 filled, L2 pending, trailing active, a time exit and a break-even in the plan.
    const start = exitFor({ preset: 'arbitrage', takeProfit: { pct: '0.02' }, breakEven: { trigger: '0.004', offset: '0.0005' }, timeExit: { maxHoldingSeconds: 600 } });
    let state = play(start, ['100.5']).state;
    state = onMarket(state, quoteAt(state, '100.85')).state;
    return applyTrancheOutcome(state, 'L2', { filledQuantity: quantity('10'), averagePrice: price('100.85') });
  };

  it('when a state crosses the wire (through JSON), then it comes back equal, decimals exact', () => {
    const state = midway();
    const dto: ExitStateDto = JSON.parse(JSON.stringify(exitStateToDto(state)));
    expect(exitStateFromDto(dto)).toEqual(state);
    expect(exitStateToDto(exitStateFromDto(dto))).toEqual(dto);
  });

  it('when a state is on the wire, then decimals are strings and instants ISO', () => {
    const dto = exitStateToDto(midway());
    expect(dto).toMatchObject({
      status: 'ACTIVE', remaining: '65', stop: '100.64', stopKind: 'TRAILING_STOP', bestPrice: '100.85', trailingActive: true, levelsDone: ['L1', 'L2'],
      realizedPnl: '21', closing: null,
    });
    expect(dto.tranches).toEqual([
      { id: 'L1', reason: 'TARGET', quantity: '25', triggerPrice: '100.5', filledQuantity: '25', averagePrice: '100.5', realizedPnl: '12.5', state: 'DONE' },
      { id: 'L2', reason: 'TARGET', quantity: '25', triggerPrice: '100.8', filledQuantity: '10', averagePrice: '100.85', realizedPnl: '8.5', state: 'DONE' },
    ]);
    expect(dto.plan).toMatchObject({
      direction: 'LONG', entryPrice: '100', stopLoss: '99.5', takeProfit: '102', preset: 'arbitrage', openedAt: '2024-01-02T14:30:00.000Z',
      trailing: { activation: '0.005', distance: '0.002', maxDistance: '0.01' }, breakEven: { trigger: '0.004', offset: '0.0005' },
      timeExit: { notAfter: '2024-01-02T14:40:00.000Z' },
    });
    expect(dto.plan.ladder[0]).toEqual({ id: 'L1', profitTarget: '0.005', fraction: '0.25', moveStopTo: '0.002' });
  });

  it('when a plan with no optional parts and a position cross the wire, then they come back equal', () => {
    const plan = resolveExitPlan({}, position());
    expect(exitPlanFromDto(JSON.parse(JSON.stringify(exitPlanToDto(plan))))).toEqual(plan);
    expect(exitPositionFromDto(exitPositionToDto(position()))).toEqual(position());
    expect(exitStateFromDto(exitStateToDto(startExit(plan)))).toEqual(startExit(plan));
  });

  it('when triggers go on the wire, then they are decimal strings', () => {
    expect(exitTriggersToDto(nextTriggers(exitFor({ preset: 'arbitrage' })))).toEqual({ lower: '99.5', upper: '100.5', notAfter: null, immediate: false });
  });
});
