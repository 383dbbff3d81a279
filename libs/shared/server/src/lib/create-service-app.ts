import type { ServerOptions } from 'node:http';
import {
  Module,
  type DynamicModule,
  type INestApplicationContext,
  type Type,
} from '@nestjs/common';
import { ModuleRef, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';

import { ServiceCredentials, type ServiceRole } from '@ml-run/token-contract';

import { bindAccessRules, type RouteAccess } from './access/access-control';
import { ACCESS_ENFORCER, type AccessEnforcer } from './access/access-enforcer.port';
import type { ErrorMapper } from './errors/error-reply';
import { ErrorFilter } from './errors/error.filter';
import { OwnedResources, type OwnedResource } from './lifecycle/owned-resources';
import { SecondaryListeners } from './listening/secondary-listeners';
import { loggerOptions } from './logging/logger-options';
import { requestIdOf } from './logging/request-id';
import { registerRequestIdEcho, RequestLogController } from './logging/request-logging';
import { registerRequestLogScope, ServiceLogger } from './logging/service-logger';
import { createLogger } from './logging/stdout-destination';
import { registerHttpMetrics } from './metrics/http-metrics';
import { createMetricsRegistry } from './metrics/metrics.registry';
import { setupOpenApi } from './openapi/openapi';
import { PlatformModule } from './platform.module';
import { registerPlainRoutes, type PlainRoute } from './routes/plain-route';
import { ServiceApp } from './service-app';

/** The settings every service shares (see serverConfigShape in @ml-run/config). */
export type ServerSettings = {
  MLRUN_PORT: number;
  MLRUN_HOST: string;
  MLRUN_LOG_LEVEL: string;
  MLRUN_MAX_BODY_BYTES: number;
  MLRUN_REQUEST_TIMEOUT_MS: number;
  MLRUN_HEADERS_TIMEOUT_MS: number;
  MLRUN_KEEP_ALIVE_TIMEOUT_MS: number;
  /** The scrape credential /metrics checks (or its sha256 digest); unset: /metrics opens to no one. */
  MLRUN_METRICS_TOKEN?: string;
};

export type ServiceAppOptions = {
  /** Service name: the `service` field of every log line and metric. */
  service: string;
  /** Fields on every log line besides `service` (a wrapper's model and version). */
  logBindings?: Record<string, string>;
  description: string;
  module: Type<unknown> | DynamicModule;
  settings: ServerSettings;
  /**
   * The credentials of the service roles this service's doors check (each the credential or
   * its sha256 digest); a role left out opens to no one. The metrics role comes from settings.
   */
  serviceCredentials?: Partial<Record<Exclude<ServiceRole, 'metrics'>, string | undefined>>;
  errorMapper?: ErrorMapper;
  /** Hook for a service's own Fastify setup (content parsers, hooks) before routes load. */
  configureFastify?: (fastify: FastifyInstance) => void;
  /**
   * Hot routes served by Fastify without Nest's per-request layer (see PlainRoute), built
   * from the service's providers (`app.get(...)`) once Nest has created them.
   */
  plainRoutes?: (app: INestApplicationContext) => readonly PlainRoute[];
  /** false: Nest registers no body parsers, so configureFastify's own parsers decide. */
  bodyParser?: boolean;
  /** Where JSON log lines go; stdout unless a test captures them. */
  logDestination?: DestinationStream;
  /** false when a host runs several services in one process and closes them itself. */
  handleSignals?: boolean;
  /**
   * For lines logged outside a request. Nest's Logger is process-wide, so a host running
   * several services in one process passes one logger named after itself; otherwise such
   * lines would carry whichever service started first.
   */
  processLogger?: PinoLogger;
  /** Opened by the host for this service; closed after the HTTP server, newest first. */
  resources?: readonly OwnedResource[];
};

/** What the process hosting a service decides (embedded mode, tests), not the service. */
export type ServiceHostOptions = Pick<
  ServiceAppOptions,
  'logDestination' | 'handleSignals' | 'processLogger' | 'resources'
>;

/** Builds a NestJS-on-Fastify service with ML-RUN's logging, probes, metrics, errors and docs. */
export async function createServiceApp(options: ServiceAppOptions): Promise<ServiceApp> {
  const { settings } = options;
  const resources = options.resources ?? [];
  const logger = serviceLogger(options);
  const registry = createMetricsRegistry(options.service);
  const secondary = new SecondaryListeners(timeoutsOf(settings));
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: settings.MLRUN_MAX_BODY_BYTES,
    genReqId: requestIdOf,
    logController: new RequestLogController(),
    // close() drops idle keep-alive sockets at once (fetch keeps spares around) but lets
    // in-flight requests finish: a replica being drained must not fail its last calls.
    forceCloseConnections: 'idle',
    serverFactory: secondary.serverFactory,
  });

  @Module({
    imports: [PlatformModule.forRoot(registry), options.module],
    providers: [{ provide: OwnedResources, useFactory: () => new OwnedResources(resources) }],
  })
  class ServiceRootModule {}

  const app = await NestFactory.create<NestFastifyApplication>(ServiceRootModule, adapter, {
    bufferLogs: true,
    bodyParser: options.bodyParser ?? true,
  });
  app.useLogger(new ServiceLogger(options.processLogger ?? logger));
  app.useGlobalFilters(
    new ErrorFilter(app.getHttpAdapter(), options.errorMapper, settings.MLRUN_MAX_BODY_BYTES),
  );
  const routes = registerRoutes(app, options, registry, secondary);
  // After a clean shutdown on SIGTERM, exit 0: Nest would otherwise re-send the signal to
  // itself, and supervisors (Swarm, the process deployer) would see a kill (143).
  if (options.handleSignals ?? true) app.enableShutdownHooks([], { useProcessExit: true });
  await app.init();
  return new ServiceApp(app, settings, routes, secondary);
}

// The platform's hooks (access rules first, so every route after them is bound), then the
// service's own Fastify setup and routes, then the documentation of them all.
function registerRoutes(
  app: NestFastifyApplication,
  options: ServiceAppOptions,
  registry: Registry,
  secondary: SecondaryListeners,
): RouteAccess[] {
  const fastify = app.getHttpAdapter().getInstance();
  const routes: RouteAccess[] = [];
  bindAccessRules(fastify, accessEnforcerOf(app), routes, serviceCredentialsOf(options));
  registerRequestIdEcho(fastify);
  registerRequestLogScope(fastify);
  registerHttpMetrics(fastify, registry);
  fastify.addHook('preClose', () => secondary.close());
  options.configureFastify?.(fastify);
  const plainRoutes = options.plainRoutes?.(app) ?? [];
  registerPlainRoutes(fastify, plainRoutes);
  setupOpenApi(app, `ML-RUN ${options.service}`, options.description, plainRoutes);
  return routes;
}

function serviceLogger(options: ServiceAppOptions): PinoLogger {
  const level = options.settings.MLRUN_LOG_LEVEL;
  return createLogger(
    loggerOptions(options.service, level, options.logBindings),
    options.logDestination,
  );
}

// Node answers 408 and closes a connection whose request outlives these; it checks every
// connectionsCheckingInterval, so that is kept well under the request timeout.
function timeoutsOf(settings: ServerSettings): ServerOptions {
  const requestTimeout = settings.MLRUN_REQUEST_TIMEOUT_MS;
  return {
    requestTimeout,
    headersTimeout: Math.min(settings.MLRUN_HEADERS_TIMEOUT_MS, requestTimeout),
    keepAliveTimeout: settings.MLRUN_KEEP_ALIVE_TIMEOUT_MS,
    connectionsCheckingInterval: Math.min(Math.max(Math.floor(requestTimeout / 4), 50), 30_000),
  };
}

// Every service serves /metrics, so the scrape credential comes with the shared settings.
function serviceCredentialsOf(options: ServiceAppOptions): ServiceCredentials {
  return new ServiceCredentials({
    ...options.serviceCredentials,
    metrics: options.settings.MLRUN_METRICS_TOKEN,
  });
}

function accessEnforcerOf(app: NestFastifyApplication): AccessEnforcer | undefined {
  // Through ModuleRef: app.get of a missing provider ends the process (Nest's abortOnError).
  try {
    return app.get(ModuleRef).get<AccessEnforcer>(ACCESS_ENFORCER, { strict: false });
  } catch {
    return undefined; // only public routes: bindAccessRules refuses any other
  }
}

/** A logger for a process hosting several services (embedded mode): `service` is its name. */
export function createProcessLogger(name: string, level: string): PinoLogger {
  return createLogger(loggerOptions(name, level));
}
