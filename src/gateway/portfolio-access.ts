import type { PortfolioGrants } from '../ports/portfolios.port';
import type { Principal } from './api-key-auth';

/**
 * Which portfolios a principal may see and act on: all, or those its key names plus those granted
 * to it (the ones it created). A portfolio outside the scope is answered as if it did not exist.
 */
export function createPortfolioAccess(grants: PortfolioGrants) {
  return {
    async canSee(principal: Principal, portfolioId: string): Promise<boolean> {
      if (principal.portfolios === 'all' || principal.portfolios.includes(portfolioId)) return true;
      return grants.isGranted(principal.name, portfolioId);
    },

    /** 'all', or the ids the principal may see. */
    async visible(principal: Principal): Promise<'all' | string[]> {
      if (principal.portfolios === 'all') return 'all';
      return [...new Set([...principal.portfolios, ...(await grants.grantedTo(principal.name))])];
    },
  };
}

export type PortfolioAccess = ReturnType<typeof createPortfolioAccess>;
