import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { ApiKeyGrant, PortfolioScope, Role } from '../config/config';
import { HttpError } from './http-errors';

export interface Principal {
  readonly name: string;
  readonly roles: readonly Role[];
  /** The portfolios the key names (the principal also sees those granted to it, such as the ones it created). */
  readonly portfolios: PortfolioScope;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

const digest = (key: string) => createHash('sha256').update(key).digest();

/** Keys are held only as digests and compared in constant time; they are never logged. */
export function createApiKeyAuthenticator(grants: readonly ApiKeyGrant[]) {
  const table = grants.map((g) => ({ digest: digest(g.key), principal: { name: g.principal, roles: g.roles, portfolios: g.portfolios } }));
  return (presented: string): Principal | null => {
    const d = digest(presented);
    let found: Principal | null = null;
    for (const entry of table) if (timingSafeEqual(entry.digest, d)) found = entry.principal;
    return found;
  };
}

function presentedKey(req: Request): string | undefined {
  // The scheme is case-insensitive (RFC 9110): Bearer, bearer, BEARER.
  const bearer = /^bearer\s+(.+)$/i.exec(req.header('authorization') ?? '');
  if (bearer) return bearer[1]!.trim();
  return req.header('x-api-key') ?? undefined;
}

export function authenticate(lookup: (key: string) => Principal | null) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const key = presentedKey(req);
    const principal = key ? lookup(key) : null;
    if (!principal) {
      next(new HttpError(401, 'UNAUTHENTICATED', 'a valid API key is required (Authorization: Bearer <key> or X-API-Key)'));
      return;
    }
    req.principal = principal;
    next();
  };
}

export function requireRole(role: Role) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const roles = req.principal?.roles ?? [];
    if (!roles.includes(role) && !roles.includes('admin')) {
      next(new HttpError(403, 'FORBIDDEN', `this action needs the ${role} role`, { requiredRole: role }));
      return;
    }
    next();
  };
}

export function principalOf(req: Request): Principal {
  if (!req.principal) throw new HttpError(401, 'UNAUTHENTICATED', 'a valid API key is required');
  return req.principal;
}
