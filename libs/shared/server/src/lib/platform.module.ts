import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Registry } from 'prom-client';

import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { METRICS_REGISTRY } from './metrics/metrics.registry';

// What every service gets: probes and its own metrics (request logging is Fastify's).
@Global()
@Module({})
export class PlatformModule {
  static forRoot(registry: Registry): DynamicModule {
    return {
      module: PlatformModule,
      controllers: [HealthController, MetricsController],
      providers: [{ provide: METRICS_REGISTRY, useValue: registry }],
      exports: [METRICS_REGISTRY],
    };
  }
}
