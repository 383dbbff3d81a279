import path from 'node:path';
import { Logger } from '@nestjs/common';

import { MemoryPredictionBus, MemoryPredictionResults } from '@ml-run/async-predictions';
import { requestCheckerProvider } from '@ml-run/bearer-auth';
import { builderConfigShape, createBuilderApp } from '@ml-run/builder';
import { loadConfigWith, modelProcessEnv } from '@ml-run/config';
import { ProcessDeployer } from '@ml-run/deployer';
import type { MemoryEventBus } from '@ml-run/event-bus';
import {
  builderRouteSnapshot,
  createRouterApp,
  reloadRoutes,
  routerConfigShape,
  type RouteSnapshot,
} from '@ml-run/router';
import { hostSandbox, type SandboxMode } from '@ml-run/sandbox';
import type { ServiceApp, ServiceHostOptions } from '@ml-run/server';
import { credentialDigest } from '@ml-run/token-contract';
import type { TokenStore } from '@ml-run/token-store';

import { dispatchCredentials } from './dispatch-credentials';
import type { EmbeddedCredentials } from './service-credentials';

export type ModelPlaneSettings = {
  routerPort: number;
  builderPort: number;
  validatorUrl: string;
  /** The auth-issuer's URL: the console signs in through the builder's proxy to it. */
  issuerUrl: string;
  credentials: EmbeddedCredentials;
  /** Set when the issuer signs tokens: replicas and the builder verify them with its JWKS. */
  jwksUrl?: string;
  events: MemoryEventBus;
  host: ServiceHostOptions;
  /** MLRUN_SANDBOX: embedded mode warns when less than full, and still starts models. */
  sandbox: SandboxMode;
  /** The in-process token store: the router mints its dispatch credentials into it. */
  tokenStore: TokenStore;
};

/**
 * The router and the builder over the shared in-process bus. The router starts first, with
 * an empty table. Once the builder listens (with the deployments it brought back), the
 * router loads the builder's route table, and from then on reloads it on each event and
 * reconcile like a standalone router; events carry no routes the router would use.
 */
export async function startModelPlane(settings: ModelPlaneSettings): Promise<ServiceApp[]> {
  const { credentials } = settings;
  const builderUrl = `http://127.0.0.1:${settings.builderPort}`;
  const routerConfig = loadConfigWith(routerConfigShape, {
    MLRUN_PORT: String(settings.routerPort),
    MLRUN_BUILDER_URL: builderUrl,
    MLRUN_ROUTE_TABLE_TOKEN: credentials['route-table'],
    MLRUN_METRICS_TOKEN: credentials.metrics,
  });
  let builderTable: RouteSnapshot | undefined;
  const snapshot: RouteSnapshot = async (signal) =>
    builderTable ? builderTable(signal) : { models: {} };
  const router = await startRouter(settings, routerConfig, snapshot);
  const routerUrl = await router.listen();
  try {
    const builder = await startBuilder(settings, routerUrl);
    builderTable = builderRouteSnapshot(builderUrl, credentials['route-table']);
    await reloadRoutes(router);
    return [router, builder];
  } catch (error) {
    await router.close();
    throw error;
  }
}

/**
 * The router, with asynchronous predictions on the in-process bus: it checks their tokens
 * with the validator, and runs what it queued on the model's replicas itself (no replica
 * consumes a topic here), presenting a platform credential scoped to the one model.
 */
async function startRouter(
  settings: ModelPlaneSettings,
  config: ReturnType<typeof loadConfigWith<typeof routerConfigShape>>,
  snapshot: RouteSnapshot,
): Promise<ServiceApp> {
  const { events, host, validatorUrl, credentials, jwksUrl } = settings;
  const bus = new MemoryPredictionBus();
  const results = new MemoryPredictionResults();
  const validator = { url: validatorUrl, credential: credentials.introspection, timeoutMs: 2000 };
  const signedTokens = jwksUrl === undefined ? undefined : { jwksUrl, timeoutMs: 2000 };
  return createRouterApp(
    config,
    {
      events,
      snapshot,
      asyncPredictions: { queue: bus, results, outcomes: bus },
      localReplicas: {
        deliveries: bus,
        credentialFor: dispatchCredentials(settings.tokenStore),
      },
      authorizer: requestCheckerProvider({
        l1: { maxEntries: 10_000, ttlMs: 30_000, negativeTtlMs: 2000 },
        validator,
        revocations: events,
        ...(signedTokens && { signedTokens }),
      }),
    },
    { ...host, resources: [bus, results] },
  );
}

function builderConfigOf(settings: ModelPlaneSettings, routerUrl: string) {
  return loadConfigWith(builderConfigShape, {
    MLRUN_PORT: String(settings.builderPort),
    MLRUN_METRICS_TOKEN: settings.credentials.metrics,
    // The console's proxy reaches the services of this process, wherever their ports are.
    MLRUN_ISSUER_URL: settings.issuerUrl,
    MLRUN_ROUTER_URL: routerUrl,
    // The builder's console, built beside this app (dist/apps/builder/console).
    MLRUN_CONSOLE_DIR:
      process.env['MLRUN_CONSOLE_DIR'] ?? path.join(__dirname, '../builder/console'),
  });
}

async function startBuilder(settings: ModelPlaneSettings, routerUrl: string): Promise<ServiceApp> {
  const { events, host, validatorUrl, credentials, jwksUrl } = settings;
  const builderConfig = builderConfigOf(settings, routerUrl);
  const validator = { url: validatorUrl, credential: credentials.introspection, timeoutMs: 2000 };
  const signedTokens = jwksUrl === undefined ? undefined : { jwksUrl, timeoutMs: 2000 };
  const builder = await createBuilderApp(
    builderConfig,
    {
      events,
      deployer: new ProcessDeployer({
        wrapperMain: path.join(__dirname, '../model-wrapper/main.js'),
        baseEnv: modelProcessEnv(),
        sandbox: await warnedSandbox(settings.sandbox),
      }),
      authorizer: requestCheckerProvider({
        l1: { maxEntries: 10_000, ttlMs: 30_000, negativeTtlMs: 2000 },
        validator,
        revocations: events,
        ...(signedTokens && { signedTokens }),
      }),
      // A replica holds the introspection credential, and the scrape credential only as its
      // digest: nothing that opens another service's door.
      wrapperEnv: {
        MLRUN_AUTH_MODE: 'bearer',
        MLRUN_VALIDATOR_URL: validatorUrl,
        MLRUN_INTROSPECTION_TOKEN: credentials.introspection,
        MLRUN_METRICS_TOKEN: credentialDigest(credentials.metrics),
        MLRUN_SANDBOX: settings.sandbox,
        ...(jwksUrl !== undefined && { MLRUN_TOKEN_JWKS_URL: jwksUrl }),
      },
      credentials: {
        'route-table': credentials['route-table'],
        'registry-read': credentials['registry-read'],
      },
      // What the builder presents to read replicas' /metrics and /v1/errors (the console).
      scrapeCredential: credentials.metrics,
    },
    host,
  );
  await builder.listen();
  return builder;
}

// Embedded mode takes what the machine allows, and says so when it is less than full.
async function warnedSandbox(mode: SandboxMode) {
  const sandbox = await hostSandbox(mode, false);
  if (sandbox.summary.level !== 'full') {
    new Logger('Sandbox').warn(sandbox.summary, 'model code will not be fully sandboxed');
  }
  return sandbox;
}
