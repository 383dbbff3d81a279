import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@ml-run/server';

export type OutcomeResult = 'settled' | 'duplicate' | 'unknown';

/** Asynchronous predictions' counters; `model` is always one the route table knows. */
@Injectable()
export class AsyncPredictionMetrics {
  private readonly accepted: Counter<'model'>;
  private readonly outcomes: Counter<'model' | 'result'>;
  private readonly absorbed: Counter<'model'>;
  private readonly callbacks: Counter<'result'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.accepted = new Counter({
      name: 'mlrun_router_async_accepted_total',
      help: 'Asynchronous predictions accepted (202) and queued',
      labelNames: ['model'],
      registers: [registry],
    });
    this.outcomes = new Counter({
      name: 'mlrun_router_async_outcomes_total',
      help: 'Outcomes heard from replicas: settled a record, a redelivery, or for no live record',
      labelNames: ['model', 'result'],
      registers: [registry],
    });
    this.absorbed = new Counter({
      name: 'mlrun_router_async_redeliveries_absorbed_total',
      help: 'Outcomes for an already settled prediction, kept out of its result (at-least-once)',
      labelNames: ['model'],
      registers: [registry],
    });
    this.callbacks = new Counter({
      name: 'mlrun_router_async_callbacks_total',
      help: 'Callbacks delivered, or given up after their attempts',
      labelNames: ['result'],
      registers: [registry],
    });
  }

  accept(model: string): void {
    this.accepted.labels(model).inc();
  }

  outcome(model: string, result: OutcomeResult): void {
    this.outcomes.labels(model, result).inc();
    if (result === 'duplicate') this.absorbed.labels(model).inc();
  }

  callback(delivered: boolean): void {
    this.callbacks.labels(delivered ? 'delivered' : 'given_up').inc();
  }
}
