import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@ml-run/server';

/** Label for requests naming no known model: client input must not become label values. */
export const UNKNOWN_MODEL = '(unknown)';

type Bound = { inc: () => void };

// A model's series, bound once: inc/observe with a label object build and check the labels
// on every call. Bounded: models come from the route table, or are UNKNOWN_MODEL.
type ModelSeries = {
  byStatus: Map<number, Bound>;
  upstream: { observe: (seconds: number) => void };
  retries: Bound;
};

@Injectable()
export class PredictionMetrics {
  private readonly requests: Counter<'model' | 'status'>;
  private readonly upstreamSeconds: Histogram<'model'>;
  private readonly retries: Counter<'model'>;
  private readonly series = new Map<string, ModelSeries>();

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.requests = new Counter({
      name: 'mlrun_router_requests_total',
      help: 'Predict requests by model and the status the client got',
      labelNames: ['model', 'status'],
      registers: [registry],
    });
    this.upstreamSeconds = new Histogram({
      name: 'mlrun_router_upstream_duration_seconds',
      help: 'Time from sending a request to a replica to its whole answer, per attempt',
      labelNames: ['model'],
      buckets: [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
      ],
      registers: [registry],
    });
    this.retries = new Counter({
      name: 'mlrun_router_retries_total',
      help: 'Requests sent to a second replica after a connection failure',
      labelNames: ['model'],
      registers: [registry],
    });
  }

  request(model: string, status: number): void {
    const { byStatus } = this.seriesOf(model);
    let counter = byStatus.get(status);
    if (counter === undefined) {
      counter = this.requests.labels(model, String(status));
      byStatus.set(status, counter);
    }
    counter.inc();
  }

  upstream(model: string, seconds: number): void {
    this.seriesOf(model).upstream.observe(seconds);
  }

  retry(model: string): void {
    this.seriesOf(model).retries.inc();
  }

  private seriesOf(model: string): ModelSeries {
    let series = this.series.get(model);
    if (series === undefined) {
      series = {
        byStatus: new Map(),
        upstream: this.upstreamSeconds.labels(model),
        retries: this.retries.labels(model),
      };
      this.series.set(model, series);
    }
    return series;
  }
}
