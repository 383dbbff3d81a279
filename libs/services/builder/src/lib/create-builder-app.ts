import path from 'node:path';

import { registerBundleBodyParser } from '@ml-run/builder-image-build';
import { mapBuilderError } from '@ml-run/builder-registry';
import { createServiceApp, type ServiceApp, type ServiceHostOptions } from '@ml-run/server';

import type { BuilderConfig } from './builder.config';
import { BuilderModule, type BuilderAdapters } from './builder.module';
import { registerConsole, type ConsoleSettings } from './console/console-routes';

/**
 * The builder (docs/architecture.md §2, §6): bundle upload, versions, builds, deployments, aliases and
 * the route table. On start it brings back the deployments recorded as desired; on
 * shutdown it closes the deployer. The event publisher stays the caller's to close.
 */
export async function createBuilderApp(
  config: BuilderConfig,
  adapters: BuilderAdapters,
  options: ServiceHostOptions = {},
): Promise<ServiceApp> {
  const app = await createServiceApp({
    service: 'builder',
    description:
      "The model registry: upload bundles (raw application/zip body), follow builds, deploy versions, set aliases. Reads need models:read:<name> (or models:write:<name>); changes need models:write:<name> and being one of the model's owners (or admin); * stands for every model.",
    module: BuilderModule.forRoot(config, adapters),
    settings: config,
    serviceCredentials: adapters.credentials,
    errorMapper: mapBuilderError,
    configureFastify: (fastify) => {
      registerBundleBodyParser(fastify, config.MLRUN_MAX_BUNDLE_BYTES);
      registerConsole(fastify, consoleSettings(config));
    },
    ...options,
  });
  // The console's scope registers its routes when Fastify boots: booted now, so the app's
  // route table (what the security specs read) lists them before the first request.
  await app.nest.getHttpAdapter().getInstance().ready();
  return app;
}

// Bundled into the app's main.js, __dirname is that file's directory: the console's assets
// are built next to it (dist/apps/builder/console).
function consoleSettings(config: BuilderConfig): ConsoleSettings {
  return {
    dir: config.MLRUN_CONSOLE_DIR ?? path.join(__dirname, 'console'),
    issuerUrl: config.MLRUN_ISSUER_URL,
    routerUrl: config.MLRUN_ROUTER_URL,
    maxBodyBytes: config.MLRUN_MAX_BODY_BYTES,
    trustedProxies: config.MLRUN_TRUSTED_PROXIES ?? [],
  };
}
