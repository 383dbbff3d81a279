import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@ml-run/server';

import { AsyncPredictionWorker, type OutcomeTally } from './async-prediction.worker';

/**
 * The Kafka side's backpressure, sampled at scrape time: messages in flight (bounded by
 * MLRUN_ASYNC_MAX_INFLIGHT) and the group's lag on this replica's partitions (high
 * watermark minus the next offset to commit), and outcomes published by status.
 */
@Injectable()
export class AsyncPredictionMetrics {
  constructor(@Inject(METRICS_REGISTRY) registry: Registry, worker: AsyncPredictionWorker) {
    new Gauge({
      name: 'mlrun_async_in_flight',
      help: 'Kafka messages (requests, stream records) being handled now',
      registers: [registry],
      collect() {
        this.set(worker.stats().inFlight);
      },
    });
    new Gauge({
      name: 'mlrun_async_consumer_lag',
      help: 'Messages not yet committed on the partitions this replica consumes',
      registers: [registry],
      collect() {
        this.set(worker.stats().lag);
      },
    });
    let reported: OutcomeTally = { succeeded: 0, failed: 0, dropped: 0 };
    new Counter({
      name: 'mlrun_async_outcomes_total',
      help: 'Asynchronous prediction requests answered, by outcome (dropped: not a request)',
      labelNames: ['status'],
      registers: [registry],
      collect() {
        const now: OutcomeTally = { ...worker.stats().outcomes };
        for (const status of ['succeeded', 'failed', 'dropped'] as const) {
          const delta = now[status] - reported[status];
          if (delta > 0) this.inc({ status }, delta);
        }
        reported = now;
      },
    });
  }
}
