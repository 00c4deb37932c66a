import type { FastifyInstance } from 'fastify';
import { redactConfig } from '../config/redact-config';
import type { BotControl } from './bot-control';
import type { BotMetrics } from './metrics';
import { BadRequest, candlesQuery, equityQuery, integerParam, noQuery, tradesQuery } from './schemas';

const NO_QUERY = { schema: { querystring: noQuery } };

/** The read routes: each answers what the bot's BotControl says, as JSON (and /metrics as Prometheus text). */
export function registerReadRoutes(app: FastifyInstance, control: BotControl, metrics: BotMetrics): void {
  app.get('/api/status', NO_QUERY, async () => control.status());
  app.get('/api/portfolio', NO_QUERY, async () => control.portfolio());
  app.get('/api/positions', NO_QUERY, async () => control.positions());
  app.get('/api/orders', NO_QUERY, async () => control.orders());
  app.get<{ Querystring: { from?: string; to?: string; limit?: string } }>('/api/trades', { schema: { querystring: tradesQuery } }, async (request) => {
    const from = integerParam(request.query.from, 'from', 0, Number.MAX_SAFE_INTEGER);
    const to = integerParam(request.query.to, 'to', 0, Number.MAX_SAFE_INTEGER);
    const limit = integerParam(request.query.limit, 'limit', 1, 1000);
    if (from !== undefined && to !== undefined && from > to) throw new BadRequest('query parameter "from" must not be after "to"');
    return control.trades({ ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), ...(limit !== undefined ? { limit } : {}) });
  });
  app.get<{ Querystring: { maxPoints?: string } }>('/api/equity', { schema: { querystring: equityQuery } }, async (request) =>
    control.equity(integerParam(request.query.maxPoints, 'maxPoints', 2, 100_000)),
  );
  app.get<{ Querystring: { symbol: string; limit?: string } }>('/api/candles', { schema: { querystring: candlesQuery } }, async (request) =>
    control.candles(request.query.symbol, integerParam(request.query.limit, 'limit', 1, 5000) ?? 500),
  );
  // BotControl redacts already; redacting again here keeps a secret out of a response even if it did not.
  app.get('/api/config', NO_QUERY, async () => redactConfig(control.config()));
  app.get('/api/strategies', NO_QUERY, async () => control.strategies());
  app.get('/metrics', NO_QUERY, async (_request, reply) => reply.header('content-type', metrics.contentType).send(await metrics.scrape()));
}
