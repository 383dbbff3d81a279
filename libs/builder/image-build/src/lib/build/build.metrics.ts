import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@ml-run/server';

export type BuildResult = 'succeeded' | 'failed';

@Injectable()
export class BuildMetrics {
  private readonly builds: Counter<'result'>;
  private readonly duration: Histogram<'result'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.builds = new Counter({
      name: 'mlrun_builds_total',
      help: 'Finished builds by result',
      labelNames: ['result'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'mlrun_build_duration_seconds',
      help: 'Build time from start to the last step, by result',
      labelNames: ['result'],
      buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers: [registry],
    });
    // Both series exist from the start, so rate() and alerts see a zero, not a gap.
    for (const result of ['succeeded', 'failed'] as const) this.builds.inc({ result }, 0);
  }

  finished(result: BuildResult, seconds: number): void {
    this.builds.inc({ result });
    this.duration.observe({ result }, seconds);
  }
}
