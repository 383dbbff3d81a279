import { Inject, Injectable } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@ml-run/server';

import { InflightCounter } from '../balancing/inflight-counter';
import { RouteSync } from './route-sync.service';
import { RoutingTable } from './routing-table';

/** Route and in-flight gauges, sampled at scrape time so the request path pays nothing. */
@Injectable()
export class RoutesMetrics {
  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    table: RoutingTable,
    inflight: InflightCounter,
    sync: RouteSync,
  ) {
    new Gauge({
      name: 'mlrun_router_routes',
      help: 'READY replica endpoints the router can send predictions to',
      registers: [registry],
      collect() {
        this.set(table.endpointCount());
      },
    });
    // A gauge that only grows, sampled like the others: loads happen in RouteSync.
    new Gauge({
      name: 'mlrun_router_route_table_loads',
      help: 'Builder route tables loaded, by reason (start, event, event gap, reconcile, reload): an event only triggers a load, it never sets a route',
      labelNames: ['reason'],
      registers: [registry],
      collect() {
        for (const [reason, count] of sync.loads) this.set({ reason }, count);
      },
    });
    new Gauge({
      name: 'mlrun_router_inflight',
      help: 'Predictions in flight per model version (drained when 0)',
      labelNames: ['model', 'version'],
      registers: [registry],
      collect() {
        // Reset first: a version that left the table must not linger at its last value.
        this.reset();
        for (const { name, version, count } of inflight.counts(table.versions())) {
          this.set({ model: name, version }, count);
        }
      },
    });
  }
}
