import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';

import { routeOf } from '../routes/route-of';

type RouteSeries = { count: () => void; observe: (seconds: number) => void };

// Counts every HTTP request by route template (never the raw URL: unbounded labels).
export function registerHttpMetrics(fastify: FastifyInstance, registry: Registry): void {
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // The series of each (method, route, status), bound once: inc/observe with a label object
  // validate and hash the labels on every call. Bounded: routes are templates.
  const series = new Map<string, RouteSeries>();
  const seriesOf = (method: string, route: string, status: number): RouteSeries => {
    const key = `${method} ${status} ${route}`;
    let bound = series.get(key);
    if (bound === undefined) {
      const counter = requests.labels(method, route, String(status));
      const histogram = duration.labels(method, route);
      bound = { count: () => counter.inc(), observe: (seconds) => histogram.observe(seconds) };
      series.set(key, bound);
    }
    return bound;
  };
  // A plain hook: an async one costs a promise per request.
  fastify.addHook('onResponse', (request, reply, done) => {
    const bound = seriesOf(request.method, routeOf(request), reply.statusCode);
    bound.count();
    bound.observe(reply.elapsedTime / 1000);
    done();
  });
}
