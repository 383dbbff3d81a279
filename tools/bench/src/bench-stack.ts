import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import {
  digestOf,
  freePort,
  REPO_ROOT,
  scraperHeaders,
  startApp,
  waitFor200,
  type AuthPlane,
  type ServiceProcess,
} from '@ml-run/process-testing';

export type WrapperUnderTest = {
  url: string;
  process: ServiceProcess;
  /** The headers /metrics asks for (the plane's scrape credential). */
  scrape: Record<string, string>;
};

/**
 * Starts a model-wrapper wired to the control plane, and waits until it is READY. `app`: a
 * build under dist/apps (a baseline copied there to compare a change against).
 */
export async function startModelWrapper(
  plane: AuthPlane,
  modelDir: string,
  env: Record<string, string>,
  app = 'model-wrapper',
): Promise<WrapperUnderTest> {
  const port = await freePort();
  const service = startApp(app, {
    MLRUN_MODEL_DIR: path.resolve(REPO_ROOT, modelDir),
    MLRUN_PORT: String(port),
    MLRUN_VALIDATOR_URL: plane.validatorUrl,
    MLRUN_INTROSPECTION_TOKEN: plane.credentials.introspection,
    MLRUN_METRICS_TOKEN: digestOf(plane.credentials.metrics),
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor200(`${url}/readyz`, undefined, service);
  } catch (error) {
    await service.stop(); // a wrapper that never got ready must not outlive the run
    throw error;
  }
  return { url, process: service, scrape: scraperHeaders(plane.credentials) };
}

/** The sum of a Prometheus counter's samples whose line matches the pattern. */
export async function counterValue(
  wrapper: Pick<WrapperUnderTest, 'url' | 'scrape'>,
  pattern: RegExp,
): Promise<number> {
  const response = await fetch(`${wrapper.url}/metrics`, { headers: wrapper.scrape });
  const text = await response.text();
  // A refused scrape must not read as a count of zero.
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}: ${text}`);
  return text
    .split('\n')
    .filter((line) => pattern.test(line))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/** One model's replicas, as a route table lists them: one version, all traffic to it. */
export type RoutedModel = { name: string; replicaUrls: string[] };

/**
 * Serves the router's route table as the builder would (GET with the route-table
 * credential), listing the given replicas, so a standalone router can be pointed at
 * wrappers started by hand. Close the server to stop it.
 */
export async function serveRoutes(model: RoutedModel, routeTableToken: string): Promise<Server> {
  const version = '1.0.0';
  const table = {
    models: {
      [model.name]: {
        versions: { [version]: model.replicaUrls },
        aliases: { stable: { versions: [{ version, weight: 100 }] } },
      },
    },
  };
  const server = createServer((request, response) => {
    const allowed = request.headers.authorization === `Bearer ${routeTableToken}`;
    response.writeHead(allowed ? 200 : 401, { 'content-type': 'application/json' });
    response.end(allowed ? JSON.stringify(table) : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** The URL a server from serveRoutes answers on. */
export function urlOfServer(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Starts a built router app (`router`, or a baseline copied under dist/apps) reading its
 * routes from builderUrl, and waits until it is READY; stops it if it never gets there.
 */
export async function startRouterApp(
  app: string,
  builderUrl: string,
  env: Record<string, string>,
): Promise<{ url: string; process: ServiceProcess }> {
  const port = await freePort();
  const service = startApp(app, {
    MLRUN_PORT: String(port),
    MLRUN_BUILDER_URL: builderUrl,
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor200(`${url}/readyz`, undefined, service);
  } catch (error) {
    await service.stop();
    throw error;
  }
  return { url, process: service };
}
