import { Inject, Injectable } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@ml-run/server';

import { LOADED_MODEL, type LoadedModel } from '../loaded-model';

@Injectable()
export class InitMetrics {
  private readonly duration: Gauge.Internal<'model' | 'version'>;
  private readonly readyGauge: Gauge.Internal<'model' | 'version'>;

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(LOADED_MODEL) model: LoadedModel,
  ) {
    const labels = { model: model.manifest.name, version: model.version };
    this.duration = new Gauge({
      name: 'mlrun_model_init_duration_seconds',
      help: 'Time from start to READY: init(ctx) in every worker plus the self-test',
      labelNames: ['model', 'version'],
      registers: [registry],
    }).labels(labels);
    this.readyGauge = new Gauge({
      name: 'mlrun_model_ready',
      help: '1 when the replica is READY, 0 while starting, -1 after INIT_FAILED',
      labelNames: ['model', 'version'],
      registers: [registry],
    }).labels(labels);
    this.readyGauge.set(0);
  }

  ready(seconds: number): void {
    this.duration.set(seconds);
    this.readyGauge.set(1);
  }

  failed(): void {
    this.readyGauge.set(-1);
  }
}
