import { collectDefaultMetrics, Registry } from 'prom-client';

/** Inject with this token to register a service's own metrics. */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

// One registry per service (not prom-client's global one): embedded mode runs several
// services in one process and each must expose only its own /metrics.
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
