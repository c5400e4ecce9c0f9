/** A stored risk budget: its definition is the analytics engine's (metric, total, allocation, thresholds). */
export interface StoredRiskBudget {
  readonly id: string;
  readonly name: string;
  /** The portfolio whose holdings become the entities when evaluated; null: entities are given then. */
  readonly portfolioId: string | null;
  readonly entityType: 'asset' | 'sector' | 'strategy';
  readonly lookbackDays: number | null;
  readonly definition: Readonly<Record<string, unknown>>;
  readonly createdBy: string;
  readonly createdAt: Date;
}

export interface RiskBudgetsStore {
  /** Stores a budget (audited). */
  create(budget: Omit<StoredRiskBudget, 'createdAt'>): Promise<StoredRiskBudget>;
  find(id: string): Promise<StoredRiskBudget | null>;
  /** Newest first; `portfolios` limits portfolio-bound budgets to those (budgets without a portfolio are always listed). */
  list(portfolios: 'all' | readonly string[]): Promise<StoredRiskBudget[]>;
}
