import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@ml-run/server';

import { LOADED_MODEL, MODEL_RUNTIME, type LoadedModel } from '../loaded-model';
import type { ModelRuntime } from '../runtime/model-runtime.port';
import { InflightGate } from './inflight-gate';

type Labels = 'model' | 'version';

@Injectable()
export class PredictionMetrics {
  private readonly latency: Histogram.Internal<Labels>;
  // Counted in plain numbers on the hot path and added to the prom-client counters when
  // /metrics is scraped (their collect): a labelled inc() hashes and checks its labels.
  private readonly byStatus = new Map<number, Tally>();
  // By subject, then status: finding a caller's tally builds no key string per request.
  private readonly byCaller = new Map<string, Map<number, Tally>>();
  private readonly callerTallies: Tally[] = [];
  private readonly labels: Record<Labels, string>;

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(LOADED_MODEL) model: LoadedModel,
    @Inject(MODEL_RUNTIME) runtime: ModelRuntime,
    gate: InflightGate,
  ) {
    this.labels = { model: model.manifest.name, version: model.version };
    tallyCounter(registry, this.byStatus, {
      name: 'mlrun_predictions_total',
      help: 'Predictions by HTTP status',
      labelNames: ['model', 'version', 'status'],
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
    tallyCounter(registry, this.callerTallies, {
      name: 'mlrun_predictions_by_caller_total',
      help: 'Predictions by the calling subject and HTTP status',
      labelNames: ['sub', 'status'],
    });
    registerRuntimeGauges(registry, runtime, gate);
  }

  observe(status: number, seconds: number, caller: string | undefined): void {
    if (caller !== undefined) this.callerTally(caller, status).count++;
    let tally = this.byStatus.get(status);
    if (tally === undefined) {
      tally = { labels: { ...this.labels, status: String(status) }, count: 0 };
      this.byStatus.set(status, tally);
    }
    tally.count++;
    this.latency.observe(seconds);
  }

  private callerTally(sub: string, status: number): Tally {
    let byStatus = this.byCaller.get(sub);
    if (byStatus === undefined) {
      byStatus = new Map();
      this.byCaller.set(sub, byStatus);
    }
    let tally = byStatus.get(status);
    if (tally === undefined) {
      tally = { labels: { sub, status: String(status) }, count: 0 };
      byStatus.set(status, tally);
      this.callerTallies.push(tally);
    }
    return tally;
  }
}

/** One label set's predictions since the last scrape. */
type Tally = { labels: Record<string, string>; count: number };

// Counted in plain numbers on the hot path and added to the prom-client counter when
// /metrics is scraped (its collect): a labelled inc() hashes and checks its labels.
function tallyCounter(
  registry: Registry,
  tallies: { values(): Iterable<Tally> },
  metric: { name: string; help: string; labelNames: string[] },
): void {
  new Counter({
    ...metric,
    registers: [registry],
    collect() {
      for (const tally of tallies.values()) {
        if (tally.count > 0) this.inc(tally.labels, tally.count);
        tally.count = 0;
      }
    },
  });
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
