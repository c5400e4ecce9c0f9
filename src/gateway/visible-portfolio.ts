import type { Request } from 'express';
import { principalOf } from './api-key-auth';
import type { GatewayDeps } from './gateway-deps';
import { notFound } from './http-errors';

/** The principal may see the portfolio: scope first (no query for an all-portfolio key). */
export async function canSeePortfolio(deps: Pick<GatewayDeps, 'access'>, req: Request, portfolioId: string): Promise<boolean> {
  return deps.access.canSee(principalOf(req), portfolioId);
}

/** 404 unless the portfolio exists and is in the principal's scope: existence outside it never leaks. */
export async function requireVisiblePortfolio(deps: Pick<GatewayDeps, 'access' | 'portfolios'>, req: Request, portfolioId: string): Promise<void> {
  if (!(await canSeePortfolio(deps, req, portfolioId)) || !(await deps.portfolios.exists(portfolioId))) throw notFound('portfolio', portfolioId);
}
