import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServerMetrics } from '../metrics';
import { AppError } from '../protocol/errors';
import type { HttpApp } from './httpApp';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * GET /metrics in Prometheus's text format, for a scraper that sends `Authorization: Bearer
 * <TILLSYNC_METRICS_TOKEN>`. Without a token configured there is no such address: the figures say
 * how many terminals each role has and how busy the server is, which is nobody else's business.
 */
export function registerMetricsRoute(app: HttpApp, metrics: ServerMetrics, token: string): void {
  const expected = digest(token);
  app.get('/metrics', {
    schema: { tags: ['operations'], summary: "Prometheus's figures", security: [{ metrics: [] }] },
    handler: async (request, reply) => {
      const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!given) throw new AppError('AUTH_REQUIRED', 'Send the metrics token as Authorization: Bearer <token>.');
      if (!timingSafeEqual(digest(given), expected)) throw new AppError('AUTH_INVALID', 'The metrics token is not right.');
      return reply.type(metrics.contentType).send(await metrics.scrape());
    },
  });
}
