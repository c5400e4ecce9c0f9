import express, { type Express } from 'express';
import { authenticate } from './api-key-auth';
import { errorMiddleware } from './error-middleware';
import type { GatewayDeps } from './gateway-deps';
import { HttpError } from './http-errors';
import { adminRoutes } from './routes/admin.routes';
import { marketDataRoutes } from './routes/market-data.routes';
import { ordersRoutes } from './routes/orders.routes';
import { portfoliosRoutes } from './routes/portfolios.routes';
import { riskControlsRoutes } from './routes/risk-controls.routes';
import { analyticsRoutes } from './routes/analytics.routes';
import { rebalancesRoutes } from './routes/rebalances.routes';
import { positionsRoutes } from './routes/positions.routes';
import { positionSizingRoutes } from './routes/position-sizing.routes';
import { signalsRoutes } from './routes/signals.routes';
import { dailyRiskRoutes } from './routes/daily-risk.routes';
import { killSwitchRoutes } from './routes/kill-switch.routes';

/** Whether a request carries a body at all (type-is' rule: a length, or chunked transfer). */
const hasBody = (req: express.Request) => req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/** The HTTP gateway: thin routes over workflows (commands) and Postgres (reads). */
export function createApp(deps: GatewayDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Bulk inputs (daily closes, analytics over hundreds of assets) may be large; everything else is small.
  app.use(['/v1/price-history', '/v1/analytics'], express.json({ limit: '64mb' }));
  app.use('/v1/price-history', express.text({ type: 'text/csv', limit: '64mb' }));
  app.use(express.json({ limit: '256kb' }));
  // A body that is not JSON is refused as such, not misread as an empty one.
  app.use((req, _res, next) => {
    if (hasBody(req) && req.is('application/json') === false && !(req.path === '/v1/price-history' && req.is('text/csv'))) {
      next(new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `the body's content type ${req.get('content-type') ?? '(none)'} is not supported: send application/json${req.path === '/v1/price-history' ? ' or text/csv' : ''}`));
      return;
    }
    next();
  });

  app.get('/health', async (_req, res) => {
    const report = await deps.health();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });

  app.use('/v1', authenticate(deps.authenticateKey));
  app.use(portfoliosRoutes(deps));
  app.use(riskControlsRoutes(deps));
  app.use(analyticsRoutes(deps));
  app.use(rebalancesRoutes(deps));
  app.use(positionsRoutes(deps));
  app.use(ordersRoutes(deps));
  app.use(marketDataRoutes(deps));
  app.use(adminRoutes(deps));
  app.use(positionSizingRoutes(deps));
  app.use(signalsRoutes(deps));
  app.use(dailyRiskRoutes(deps));
  app.use(killSwitchRoutes(deps));

  app.use((req, _res, next) => next(new HttpError(404, 'NOT_FOUND', `no route for ${req.method} ${req.path}`)));
  app.use(errorMiddleware(deps.logger));
  return app;
}
