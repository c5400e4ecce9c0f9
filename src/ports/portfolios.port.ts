import type { PortfolioSummaryView, PortfolioView } from '../contracts/portfolio-views';
import type { Money } from '../domain/values/money';

export interface NewPortfolio {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  /** Its currency is the portfolio's base currency. */
  readonly initialCash: Money;
  readonly createdBy: string;
}

export interface PortfoliosPort {
  /**
   * Creates the portfolio, its opening deposit in the ledger and its (default) risk limits, together
   * (audited), and grants it to its creator.
   */
  createPortfolio(input: NewPortfolio): Promise<void>;
  /** Portfolios without their positions, newest first; `only` these ids when given. */
  listPortfolios(limit: number, only?: readonly string[]): Promise<PortfolioSummaryView[]>;
  exists(portfolioId: string): Promise<boolean>;
  /** Cash, positions marked to the latest quotes, and equity. */
  findPortfolio(portfolioId: string): Promise<PortfolioView | null>;
}

/** Portfolios granted to principals beyond their keys' scope (a creator gets what it creates). */
export interface PortfolioGrants {
  isGranted(principal: string, portfolioId: string): Promise<boolean>;
  grantedTo(principal: string): Promise<string[]>;
}

export class AccountNotFoundError extends Error {
  readonly code = 'ACCOUNT_NOT_FOUND';
  override readonly name = 'AccountNotFoundError';
  constructor(readonly accountId: string) {
    super(`account ${accountId} does not exist`);
  }
}
