export {
  createProcessLogger,
  createServiceApp,
  type ServiceHostOptions,
  type ServerSettings,
  type ServiceAppOptions,
} from './lib/create-service-app';
export type { ErrorMapper, ErrorReply } from './lib/errors/error-reply';
export { READINESS_CHECK, type Readiness, type ReadinessCheck } from './lib/health/readiness.port';
export { REQUEST_ID_HEADER } from './lib/logging/request-id';
export { METRICS_REGISTRY } from './lib/metrics/metrics.registry';
export { ServiceApp } from './lib/service-app';
export { registerPlainRoutes, type PlainRoute } from './lib/routes/plain-route';
export type { OwnedResource } from './lib/lifecycle/owned-resources';
export { describeStartupError, runService } from './lib/run-service';
export { annotateRequest, requestAnnotations } from './lib/logging/request-annotations';
export { serviceCallerOf, type RouteAccess } from './lib/access/access-control';
export { ClientAddresses } from './lib/access/client-addresses';
export { ServiceCredentialError } from './lib/access/service-access.errors';
export { ACCESS_ENFORCER, type AccessEnforcer } from './lib/access/access-enforcer.port';
export {
  Access,
  ACCESS_RULES,
  describeRule,
  Rule,
  type AccessRule,
  type ServiceRole,
} from './lib/access/access-rule';
export {
  LongLivedStreams,
  TooManyStreamsError,
  type StreamLimits,
} from './lib/streams/long-lived-streams';
