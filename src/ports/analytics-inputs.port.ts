/** A portfolio as the analytics engine reads it: what it holds, and those symbols' recent closes. */
export interface PortfolioMarketData {
  /** Equity (cash and positions at their marks) in the base currency, as a float for the analytics. */
  readonly equity: number;
  readonly holdings: ReadonlyArray<{ readonly symbol: string; readonly marketValue: number; readonly sector: string; readonly strategy: string | null }>;
  /** Daily closes per held symbol, oldest first, the last `lookbackDays + 1` of them. */
  readonly closes: ReadonlyMap<string, ReadonlyArray<{ readonly date: string; readonly close: number }>>;
}

export interface AnalyticsInputs {
  /** Null when there is no such portfolio. */
  portfolioMarketData(portfolioId: string, lookbackDays: number): Promise<PortfolioMarketData | null>;
}
