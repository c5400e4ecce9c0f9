import type { RebalanceAdjustmentDto, RebalanceMethodDto } from '../contracts/rebalance-contracts';
import { measureTargetAdjustment, RebalancePlanError } from '../domain/rebalance';
import { dec } from '../domain/values/decimal';
import type { GatewayDeps } from './gateway-deps';
import { badRequest } from './http-errors';

const positive = (weights: Readonly<Record<string, string>>) => Object.entries(weights).filter(([, w]) => dec(w).gt(0)).map(([s]) => s);

/**
 * Before a rebalance (or a schedule) with an adjustment starts: the symbols it will measure have
 * the stored daily closes its lookback needs. Too little history is the client's 400 naming
 * `adjustment.lookbackDays` and the symbol, not a rebalance that fails. The planning activity
 * measures again when it plans (the closes may have grown by then); this only checks they suffice.
 * For strategy bands and the optimizer the symbols are the holdings (and the optimizer's `symbols`).
 */
export async function checkAdjustmentHistory(
  deps: Pick<GatewayDeps, 'rebalances' | 'rebalancePolicies'>, portfolioId: string, method: RebalanceMethodDto, adjustment: RebalanceAdjustmentDto | undefined,
): Promise<void> {
  if (adjustment === undefined) return;
  const held = async () => ((await deps.rebalances.portfolioForRebalance(portfolioId, []))?.positions ?? []).filter((p) => p.quantity.gt(0)).map((p) => p.symbol);
  let symbols: string[];
  if (method.type === 'target-weights') symbols = positive(method.targets);
  else if (method.type === 'optimizer') symbols = [...(await held()), ...(method.symbols ?? [])];
  else if (method.type === 'strategy-bands') symbols = await held();
  else {
    const stored = (await deps.rebalancePolicies.targetSet(portfolioId))?.targets;
    symbols = stored === undefined ? [] : 'assets' in stored ? positive(Object.fromEntries(Object.entries(stored.assets).map(([s, t]) => [s, t.target]))) : await held();
  }
  symbols = [...new Set(symbols)].sort();
  try {
    measureTargetAdjustment(adjustment, symbols, await deps.rebalances.recentCloses(symbols, adjustment.lookbackDays + 1));
  } catch (err) {
    if (err instanceof RebalancePlanError) throw badRequest([{ field: err.field, rule: err.message.slice(err.field.length + 2) }]);
    throw err;
  }
}
