import type { RequestChecker, requestCheckerProvider } from '@ml-run/bearer-auth';
import type { AsyncPredictionAdapters } from '@ml-run/prediction-contract';

import type { RouterConfig } from '../router.config';
import { AsyncPredictionMetrics } from './async-prediction.metrics';
import {
  ASYNC_PREDICTIONS,
  ASYNC_SETTINGS,
  AsyncPredictionService,
  type AsyncSettings,
} from './async-prediction.service';
import { CallbackAddressPolicy, type ResolveHost } from './callbacks/callback-address-policy';
import { CALLBACK_SENDER, CallbackSender } from './callbacks/callback-sender';
import { LOCAL_REPLICAS, LocalReplicaDispatch, type LocalReplicas } from './local-replicas';
import { OutcomeHandler } from './outcome-handler';
import { REQUEST_CHECKER } from './router-access.enforcer';

/** What asynchronous predictions need from the router's host. */
export type AsyncRouterAdapters = {
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

/** The token checker's Nest wiring: a value, or a factory over its own modules. */
export function tokenCheckerWiring(authorizer: AsyncRouterAdapters['authorizer']) {
  if (authorizer === undefined) return { imports: [], providers: [] };
  if (!('useFactory' in authorizer)) {
    return { imports: [], providers: [{ provide: REQUEST_CHECKER, useValue: authorizer }] };
  }
  const { imports, ...factory } = authorizer;
  return { imports, providers: [{ provide: REQUEST_CHECKER, ...factory }] };
}

/** Acceptance, results, outcomes, callbacks and (embedded) local dispatch. */
export function asyncPredictionProviders(config: RouterConfig, adapters: AsyncRouterAdapters) {
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
