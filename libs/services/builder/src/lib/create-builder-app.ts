import { createServiceApp, type ServiceApp, type ServiceHostOptions } from '@ml-run/server';

import type { BuilderConfig } from './builder.config';
import { mapBuilderError } from './builder.errors';
import { BuilderModule, type BuilderAdapters } from './builder.module';
import { registerBundleBodyParser } from './upload/bundle-body-parser';

/**
 * The builder (docs/architecture.md §2, §6): bundle upload, versions, builds, deployments, aliases and
 * the route table. On start it brings back the deployments recorded as desired; on
 * shutdown it closes the deployer. The event publisher stays the caller's to close.
 */
export function createBuilderApp(
  config: BuilderConfig,
  adapters: BuilderAdapters,
  options: ServiceHostOptions = {},
): Promise<ServiceApp> {
  return createServiceApp({
    service: 'builder',
    description:
      "The model registry: upload bundles (raw application/zip body), follow builds, deploy versions, set aliases. Reads need models:read:<name> (or models:write:<name>); changes need models:write:<name> and being one of the model's owners (or admin); * stands for every model.",
    module: BuilderModule.forRoot(config, adapters),
    settings: config,
    serviceCredentials: adapters.credentials,
    errorMapper: mapBuilderError,
    configureFastify: (fastify) => registerBundleBodyParser(fastify, config.MLRUN_MAX_BUNDLE_BYTES),
    ...options,
  });
}
