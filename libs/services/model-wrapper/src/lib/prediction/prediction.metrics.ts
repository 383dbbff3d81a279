import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@ml-run/server';

import { LOADED_MODEL, MODEL_RUNTIME, type LoadedModel } from '../loaded-model';
import type { ModelRuntime } from '../runtime/model-runtime.port';
import { InflightGate } from './inflight-gate';

type Labels = 'model' | 'version';

@Injectable()
export class PredictionMetrics {
  private readonly predictions: Counter<Labels | 'status'>;
  private readonly latency: Histogram.Internal<Labels>;
  private readonly labels: Record<Labels, string>;
  private readonly byCaller: Counter<'sub' | 'status'>;
  private readonly byCallerBound = new Map<string, Counter.Internal>();

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(LOADED_MODEL) model: LoadedModel,
    @Inject(MODEL_RUNTIME) runtime: ModelRuntime,
    gate: InflightGate,
  ) {
    this.labels = { model: model.manifest.name, version: model.version };
    this.predictions = new Counter({
      name: 'mlrun_predictions_total',
      help: 'Predictions by HTTP status',
      labelNames: ['model', 'version', 'status'],
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'mlrun_prediction_duration_seconds',
      help: 'Time spent in predict, queueing for a worker included',
      labelNames: ['model', 'version'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }).labels(this.labels);
    // Attribution (docs/architecture.md §3.8): who called, with what outcome. Subjects are a bounded
    // set (users and services), unlike tokens, which never become labels.
    this.byCaller = new Counter({
      name: 'mlrun_predictions_by_caller_total',
      help: 'Predictions by the calling subject and HTTP status',
      labelNames: ['sub', 'status'],
      registers: [registry],
    });
    registerRuntimeGauges(registry, runtime, gate);
  }

  observe(status: number, seconds: number, caller: string | undefined): void {
    if (caller !== undefined) this.callerCounter(caller, status).inc();
    this.predictions.inc({ ...this.labels, status: String(status) });
    this.latency.observe(seconds);
  }
  // Bound children are cached: resolving labels on every prediction costs microseconds.
  private callerCounter(sub: string, status: number): Counter.Internal {
    const key = `${status} ${sub}`;
    let counter = this.byCallerBound.get(key);
    if (!counter) {
      counter = this.byCaller.labels({ sub, status: String(status) });
      this.byCallerBound.set(key, counter);
    }
    return counter;
  }
}

// Sampled at scrape time, so the hot path pays nothing for them.
function registerRuntimeGauges(
  registry: Registry,
  runtime: ModelRuntime,
  gate: InflightGate,
): void {
  new Gauge({
    name: 'mlrun_predictions_in_flight',
    help: 'Predictions being served now',
    registers: [registry],
    collect() {
      this.set(gate.inFlight);
    },
  });
  new Gauge({
    name: 'mlrun_runtime_workers',
    help: 'Live model workers (python processes; 1 for node)',
    registers: [registry],
    collect() {
      this.set(runtime.stats().workers);
    },
  });
  new Gauge({
    name: 'mlrun_runtime_worker_restarts',
    help: 'Workers replaced after dying since start',
    registers: [registry],
    collect() {
      this.set(runtime.stats().restarts);
    },
  });
}
