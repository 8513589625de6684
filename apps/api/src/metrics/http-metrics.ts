import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../common/metrics';

/**
 * Times every HTTP answer into `parley_http_request_duration_seconds`, labelled with the route's
 * template (`/api/negotiations/:negotiationId/matrix`), never the raw URL: a label per id or query
 * would grow without bound. A request no route matched is counted as `(unmatched)`.
 */
export function recordHttpDurations(fastify: FastifyInstance, metrics: Metrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? '(unmatched)', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
