import { Module, type DynamicModule } from '@nestjs/common';

import { EVENT_SUBSCRIBER, type EventSubscriber } from '@ml-run/event-bus';
import { ACCESS_ENFORCER, READINESS_CHECK } from '@ml-run/server';

import {
  asyncPredictionProviders,
  tokenCheckerWiring,
  type AsyncRouterAdapters,
} from './async-prediction/async-prediction.providers';
import { RouterAccessEnforcer } from './async-prediction/router-access.enforcer';
import { InflightCounter } from './balancing/inflight-counter';
import { PredictionMetrics } from './prediction/prediction.metrics';
import { PredictionService } from './prediction/prediction.service';
import { PROXY_SETTINGS, type ProxySettings } from './prediction/proxy-settings';
import type { RouterConfig } from './router.config';
import { builderRouteSnapshot } from './routes/builder-route-snapshot';
import { evenCanaryDraws } from './routes/canary-draws';
import { ROUTE_SNAPSHOT, type RouteSnapshot } from './routes/route-snapshot.port';
import { RECONCILE_INTERVAL_MS, RouteSync } from './routes/route-sync.service';
import { RoutesController } from './routes/routes.controller';
import { RoutesMetrics } from './routes/routes.metrics';
import { RoutingTable } from './routes/routing-table';

/**
 * Where the router's routes come from: lifecycle events, and a snapshot to start from; and
 * what asynchronous predictions need (AsyncRouterAdapters).
 */
export type RouterAdapters = AsyncRouterAdapters & {
  events: EventSubscriber;
  /** The whole route table; default: `GET ${MLRUN_BUILDER_URL}/v1/routes`. */
  snapshot?: RouteSnapshot;
  /** Canary draws in [0, 1) per `model/alias`; default evenCanaryDraws() (tests pin it). */
  random?: (alias: string) => number;
};

@Module({})
export class RouterModule {
  static forRoot(config: RouterConfig, adapters: RouterAdapters): DynamicModule {
    const proxy: ProxySettings = {
      timeoutMs: config.MLRUN_UPSTREAM_TIMEOUT_MS,
      maxBodyBytes: config.MLRUN_MAX_BODY_BYTES,
      maxAnswerBytes: config.MLRUN_MAX_ANSWER_BYTES,
      random: adapters.random ?? evenCanaryDraws(),
    };
    const checker = tokenCheckerWiring(adapters.authorizer);
    return {
      module: RouterModule,
      imports: checker.imports,
      controllers: [RoutesController],
      providers: [
        ...checker.providers,
        { provide: ACCESS_ENFORCER, useClass: RouterAccessEnforcer },
        { provide: EVENT_SUBSCRIBER, useValue: adapters.events },
        {
          provide: ROUTE_SNAPSHOT,
          useValue:
            adapters.snapshot ??
            builderRouteSnapshot(config.MLRUN_BUILDER_URL, config.MLRUN_ROUTE_TABLE_TOKEN),
        },
        { provide: PROXY_SETTINGS, useValue: proxy },
        { provide: RECONCILE_INTERVAL_MS, useValue: config.MLRUN_ROUTES_RECONCILE_SECONDS * 1000 },
        { provide: READINESS_CHECK, useExisting: RouteSync },
        RoutingTable,
        InflightCounter,
        RouteSync,
        RoutesMetrics,
        PredictionMetrics,
        PredictionService,
        ...asyncPredictionProviders(config, adapters),
      ],
    };
  }
}
