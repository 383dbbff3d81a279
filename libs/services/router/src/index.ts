export { createRouterApp, reloadRoutes } from './lib/create-router-app';
export { routerConfigShape, type RouterConfig } from './lib/router.config';
export { RouterErrorCode } from './lib/router.errors';
export type { RouterAdapters } from './lib/router.module';
export { builderRouteSnapshot } from './lib/routes/builder-route-snapshot';
export type { RouteSnapshot } from './lib/routes/route-snapshot.port';
