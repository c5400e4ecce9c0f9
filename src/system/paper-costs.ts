import type { RiskflowConfig } from '../config/config';
import type { PaperCostModel } from '../domain/broker/paper-execution';
import { dec } from '../domain/values/decimal';

export function paperCostModel(config: RiskflowConfig): PaperCostModel {
  return { feeBps: dec(config.paper.feeBps), slippageBps: dec(config.paper.slippageBps), minFee: dec(config.paper.minFee) };
}
