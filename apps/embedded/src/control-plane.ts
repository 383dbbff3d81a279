import path from 'node:path';

import { requestCheckerProvider } from '@ml-run/bearer-auth';
import { builderConfigShape, createBuilderApp } from '@ml-run/builder';
import { loadConfigWith, modelProcessEnv } from '@ml-run/config';
import { ProcessDeployer } from '@ml-run/deployer';
import type { MemoryEventBus } from '@ml-run/event-bus';
import { createRouterApp, routerConfigShape } from '@ml-run/router';
import type { ServiceApp, ServiceHostOptions } from '@ml-run/server';

export type ModelPlaneSettings = {
  routerPort: number;
  builderPort: number;
  validatorUrl: string;
  serviceToken: string;
  events: MemoryEventBus;
  host: ServiceHostOptions;
};

/**
 * The router and the builder over the shared in-process bus. The builder starts first, so
 * the router's first route snapshot (GET /v1/routes, with the service credential) finds
 * it; then the router follows its events and reloads the table every
 * MLRUN_ROUTES_RECONCILE_SECONDS, as a standalone router does.
 */
export async function startModelPlane(settings: ModelPlaneSettings): Promise<ServiceApp[]> {
  const builder = await startBuilder(settings);
  try {
    return [await startRouter(settings), builder];
  } catch (error) {
    await builder.close();
    throw error;
  }
}

async function startRouter(settings: ModelPlaneSettings): Promise<ServiceApp> {
  const routerConfig = loadConfigWith(routerConfigShape, {
    MLRUN_PORT: String(settings.routerPort),
    MLRUN_BUILDER_URL: `http://127.0.0.1:${settings.builderPort}`,
    MLRUN_SERVICE_TOKEN: settings.serviceToken,
  });
  const router = await createRouterApp(routerConfig, { events: settings.events }, settings.host);
  await router.listen();
  return router;
}

async function startBuilder(settings: ModelPlaneSettings): Promise<ServiceApp> {
  const { events, host, validatorUrl, serviceToken } = settings;
  const builderConfig = loadConfigWith(builderConfigShape, {
    MLRUN_PORT: String(settings.builderPort),
  });
  const validator = { url: validatorUrl, serviceToken, timeoutMs: 2000 };
  const builder = await createBuilderApp(
    builderConfig,
    {
      events,
      deployer: new ProcessDeployer({
        wrapperMain: path.join(__dirname, '../model-wrapper/main.js'),
        baseEnv: modelProcessEnv(),
      }),
      authorizer: requestCheckerProvider({
        l1: { maxEntries: 10_000, ttlMs: 30_000, negativeTtlMs: 2000 },
        validator,
        revocations: events,
      }),
      wrapperEnv: {
        MLRUN_AUTH_MODE: 'bearer',
        MLRUN_VALIDATOR_URL: validatorUrl,
        MLRUN_SERVICE_TOKEN: serviceToken,
      },
      // The router presents it to read the route table.
      serviceToken,
    },
    host,
  );
  await builder.listen();
  return builder;
}
