import { Module, type DynamicModule } from '@nestjs/common';

import type { RequestChecker, requestCheckerProvider } from '@ml-run/bearer-auth';
import { EVENT_SUBSCRIBER, type EventSubscriber } from '@ml-run/event-bus';
import type { AsyncPredictionAdapters } from '@ml-run/prediction-contract';
import { ACCESS_ENFORCER, READINESS_CHECK } from '@ml-run/server';

import { AsyncPredictionMetrics } from './async-prediction/async-prediction.metrics';
import {
  ASYNC_PREDICTIONS,
  ASYNC_SETTINGS,
  AsyncPredictionService,
  type AsyncSettings,
} from './async-prediction/async-prediction.service';
import {
  CallbackAddressPolicy,
  type ResolveHost,
} from './async-prediction/callbacks/callback-address-policy';
import { CallbackSender } from './async-prediction/callbacks/callback-sender';
import { CALLBACK_SENDER } from './async-prediction/callbacks/callback-sender.provider';
import {
  LOCAL_REPLICAS,
  LocalReplicaDispatch,
  type LocalReplicas,
} from './async-prediction/local-replicas';
import { OutcomeHandler } from './async-prediction/outcome-handler';
import { REQUEST_CHECKER, RouterAccessEnforcer } from './async-prediction/router-access.enforcer';
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

/** Where the router's routes come from: lifecycle events, and a snapshot to start from. */
export type RouterAdapters = {
  events: EventSubscriber;
  /** The whole route table; default: `GET ${MLRUN_BUILDER_URL}/v1/routes`. */
  snapshot?: RouteSnapshot;
  /** Canary draws in [0, 1) per `model/alias`; default evenCanaryDraws() (tests pin it). */
  random?: (alias: string) => number;
  /** Asynchronous predictions' queue, results store and outcome feed; absent: 503. */
  asyncPredictions?: AsyncPredictionAdapters;
  /** Embedded mode: no replica consumes a topic, so this router runs what it queued. */
  localReplicas?: Omit<LocalReplicas, 'maxInFlight'>;
  /**
   * Checks the tokens of the asynchronous routes (a value, or a BearerAuthModule factory:
   * requestCheckerProvider); absent: those routes answer 503.
   */
  authorizer?: RequestChecker | ReturnType<typeof requestCheckerProvider>;
  /** How callback hosts are resolved; default the system's resolver (tests pin answers). */
  resolveHost?: ResolveHost;
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
    const checker = checkerWiring(adapters.authorizer);
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
        ...asyncProviders(config, adapters),
      ],
    };
  }
}

function checkerWiring(authorizer: RouterAdapters['authorizer']) {
  if (authorizer === undefined) return { imports: [], providers: [] };
  if (!('useFactory' in authorizer)) {
    return { imports: [], providers: [{ provide: REQUEST_CHECKER, useValue: authorizer }] };
  }
  const { imports, ...factory } = authorizer;
  return { imports, providers: [{ provide: REQUEST_CHECKER, ...factory }] };
}

function asyncProviders(config: RouterConfig, adapters: RouterAdapters) {
  const secret = config.MLRUN_CALLBACK_SECRET;
  const policy = secret
    ? new CallbackAddressPolicy(config.MLRUN_CALLBACK_ALLOWED_CIDRS, adapters.resolveHost)
    : undefined;
  const settings: AsyncSettings = {
    resultTtlMs: config.MLRUN_ASYNC_RESULT_TTL_MS,
    callbackPolicy: policy,
  };
  const sender =
    secret && policy
      ? new CallbackSender(policy, {
          secret,
          timeoutMs: config.MLRUN_CALLBACK_TIMEOUT_MS,
          attempts: config.MLRUN_CALLBACK_ATTEMPTS,
          retryDelayMs: 500,
        })
      : null;
  const local = adapters.localReplicas
    ? { ...adapters.localReplicas, maxInFlight: config.MLRUN_ASYNC_DISPATCH_INFLIGHT }
    : null;
  return [
    { provide: ASYNC_PREDICTIONS, useValue: adapters.asyncPredictions ?? null },
    { provide: ASYNC_SETTINGS, useValue: settings },
    { provide: CALLBACK_SENDER, useValue: sender },
    { provide: LOCAL_REPLICAS, useValue: local },
    AsyncPredictionMetrics,
    AsyncPredictionService,
    OutcomeHandler,
    LocalReplicaDispatch,
  ];
}
