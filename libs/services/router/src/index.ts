export { createRouterApp, reloadRoutes } from './lib/create-router-app';
export { routerConfigShape, type RouterConfig } from './lib/router.config';
export { RouterErrorCode } from './lib/router.errors';
export type { RouterAdapters } from './lib/router.module';
export { builderRouteSnapshot } from './lib/routes/builder-route-snapshot';
export type { RouteSnapshot } from './lib/routes/route-snapshot.port';
export { asyncPredictionConfigShape } from './lib/async-prediction/async-prediction.config';
export { AsyncPredictionErrorCode } from './lib/async-prediction/async-prediction.errors';
export { CALLBACK_HEADER } from './lib/async-prediction/async-predict-routes';
export {
  SIGNATURE_HEADER,
  callbackSignature,
} from './lib/async-prediction/callbacks/callback-signature';
export type { LocalReplicas } from './lib/async-prediction/local-replicas';
export { routerTokenChecker } from './lib/async-prediction/router-token-checker';
