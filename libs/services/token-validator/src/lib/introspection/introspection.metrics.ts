import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@ml-run/server';

/** How an introspection ended: `error` is a token store failure (answered 503). */
export type IntrospectionResult = 'active' | 'inactive' | 'error';

const RESULTS: readonly IntrospectionResult[] = ['active', 'inactive', 'error'];

@Injectable()
export class IntrospectionMetrics {
  private readonly introspections: Counter<'result'>;
  private readonly duration: Histogram;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.introspections = new Counter({
      name: 'mlrun_introspections_total',
      help: 'Token introspections by result',
      labelNames: ['result'],
      registers: [registry],
    });
    // Every result is exported from the start, so rate() sees the first one.
    for (const result of RESULTS) this.introspections.inc({ result }, 0);
    this.duration = new Histogram({
      name: 'mlrun_introspection_duration_seconds',
      help: 'Time to answer an introspection, the token store lookup included',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    });
  }

  observe(result: IntrospectionResult, seconds: number): void {
    this.introspections.inc({ result });
    this.duration.observe(seconds);
  }
}
