
export interface PositionView {
  /** The live position's id (its exit plan and history are under /v1/positions/:id). */
  readonly positionId: string | null;
  readonly symbol: string;
  readonly quantity: string;
  readonly averageCost: string;
  readonly markPrice: string | null;
  readonly marketValue: string | null;
  readonly unrealizedPnl: string | null;
  readonly realizedPnl: string;
}

export interface PortfolioView {
  readonly portfolioId: string;
  readonly accountId: string;
  readonly name: string;
  readonly baseCurrency: string;
  readonly cash: string;
  readonly positions: readonly PositionView[];
  readonly positionsValue: string;
  readonly grossExposure: string;
  readonly equity: string;
  readonly unrealizedPnl: string;
  readonly realizedPnl: string;
  readonly createdAt: string;
}

/** A portfolio in a list: no positions. */
export interface PortfolioSummaryView {
  readonly portfolioId: string;
  readonly accountId: string;
  readonly name: string;
  readonly baseCurrency: string;
  readonly cash: string;
  readonly createdAt: string;
}
