import { Global, Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as PinoInstance } from 'pino';
import type { Registry } from 'prom-client';

import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { METRICS_REGISTRY } from './metrics/metrics.registry';

// What every service gets: JSON logs bound to the request, probes and its own metrics.
@Global()
@Module({})
export class PlatformModule {
  static forRoot(registry: Registry, logger: PinoInstance): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        // useExisting: Fastify owns the request logger; Nest's Logger writes through it.
        // forRoutes: nestjs-pino's default pattern ('{/*splat}') matches no route under
        // Nest 12 on Fastify, which silently drops the request id from service logs.
        LoggerModule.forRoot({
          pinoHttp: { logger },
          useExisting: true,
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: METRICS_REGISTRY, useValue: registry }],
      exports: [METRICS_REGISTRY],
    };
  }
}
