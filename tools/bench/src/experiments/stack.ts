// The experiment stack: the embedded control plane (issuer, validator, builder, its own
// router) as one process, K model-wrappers started directly, and a standalone router in
// front of them fed a route table listing the K. Each experiment point starts its own stack
// (settings such as the L1 TTL are read at start), so start and stop must be reliable.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  descendantsOf,
  digestOf,
  scraperHeaders,
  startAuthPlane,
  type AuthPlane,
  type ServiceProcess,
} from '@ml-run/process-testing';

import {
  serveRoutes,
  startModelWrapper,
  startRouterApp,
  urlOfServer,
  type WrapperUnderTest,
} from '../bench-stack';
import { type ScrapeTarget as LoadgenScrapeTarget } from '../loadgen';
import {
  EXPERIMENT_SCRYPT,
  experimentClients,
  writeExperimentUsers,
  type ExperimentClient,
  type ScryptCost,
} from './experiment-users';
import {
  checkStackSettings,
  EXPERIMENT_MODEL_NAME,
  planeEnv,
  wrapperEnv,
  type StackSettings,
} from './stack-settings';

export { durationSeconds, EXPERIMENT_MODEL_NAME, type StackSettings } from './stack-settings';
export {
  EXPERIMENT_SCRYPT,
  PRODUCTION_SCRYPT,
  type ExperimentClient,
  type ScryptCost,
} from './experiment-users';

/** What the metrics scraper (loadgen's scrapeEverySecond) needs for one service. */
export type ScrapeTarget = LoadgenScrapeTarget & { headers: Record<string, string> };

/** Process ids per service: `plane`, `router`, `wrapper-1`…`wrapper-K`. */
export type StackPids = Record<string, number>;

export type ExperimentStack = {
  settings: StackSettings;
  /** The standalone router in front of the K wrappers. */
  routerUrl: string;
  /** POST here to predict through the router. */
  predictUrl: string;
  /** Each wrapper's base URL (POST <url>/v1/predict reaches one replica directly). */
  wrapperUrls: string[];
  issuerUrl: string;
  validatorUrl: string;
  /** The test users (group predictors), hashed at `scrypt`. */
  clients: ExperimentClient[];
  /** The cost of the clients' password hashes. */
  scrypt: ScryptCost;
  /** The admin (production-cost hash): what a full-cost login is measured with. */
  admin: ExperimentClient;
  /** The validator's introspection credential (POST /v1/introspect, Bearer). */
  introspectionToken: string;
  /** `plane` (issuer + validator + builder in one process), `router`, `wrapper-1`…. */
  scrapeTargets: ScrapeTarget[];
  pids: StackPids;
  /**
   * Every process of each service, children included (a python wrapper's workers do the
   * model's work in child processes): for CPU accounting and taskset pinning.
   */
  processTree(): Record<string, number[]>;
  /** Stops everything this stack started; safe to call twice. */
  stop(): Promise<void>;
};

type Stop = () => Promise<unknown>;

/**
 * Starts a stack for the settings and waits until every part is ready. On any failure
 * stops whatever it already started and tries once more (on a shared machine a port
 * chosen free can be taken before the service binds it); a second failure throws both.
 */
export async function startExperimentStack(settings: StackSettings): Promise<ExperimentStack> {
  checkStackSettings(settings);
  try {
    return await startOnce(settings);
  } catch (first) {
    try {
      return await startOnce(settings);
    } catch (second) {
      throw new Error(
        `the experiment stack did not start twice:\n1: ${messageOf(first)}\n2: ${messageOf(second)}`,
      );
    }
  }
}

async function startOnce(settings: StackSettings): Promise<ExperimentStack> {
  const stops: Stop[] = [];
  const stopAll = once(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  });
  try {
    return await startParts(settings, stops, stopAll);
  } catch (error) {
    await stopAll();
    throw error;
  }
}

// If the bench exits without stop() (an uncaught error, SIGINT/SIGTERM turned into exit),
// the services must not live on: SIGTERM them from the exit handler, which runs
// synchronously. Returns what removes the handler (stop() runs it first).
function stopAtExit(services: ServiceProcess[]): Stop {
  const kill = () => {
    for (const service of services)
      if (service.process.exitCode === null && service.process.signalCode === null)
        service.process.kill('SIGTERM');
  };
  process.once('exit', kill);
  return async () => {
    process.removeListener('exit', kill);
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function startParts(
  settings: StackSettings,
  stops: Stop[],
  stopAll: () => Promise<void>,
): Promise<ExperimentStack> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'mlrun-experiment-'));
  stops.push(() => rm(workDir, { recursive: true, force: true }));
  const clients = experimentClients(settings.clients);
  const usersFile = path.join(workDir, 'users.json');
  await writeExperimentUsers(usersFile, clients, EXPERIMENT_SCRYPT);

  const plane = await startAuthPlane(planeEnv(settings, usersFile));
  stops.push(() => stopPlane(plane));
  const wrappers: WrapperUnderTest[] = [];
  for (let i = 0; i < settings.wrappers; i++) {
    const wrapper = await startModelWrapper(plane, settings.model, wrapperEnv(settings));
    stops.push(() => wrapper.process.stop());
    wrappers.push(wrapper);
  }
  const router = await startFrontRouter(plane, wrappers, settings, stops);
  const services = [plane, router.process, ...wrappers.map((w) => w.process)];
  stops.push(stopAtExit(services));
  return { ...describe(plane, router, wrappers), settings, clients, stop: stopAll };
}

// The router in front of the wrappers, reading a route table that lists exactly them.
async function startFrontRouter(
  plane: AuthPlane,
  wrappers: WrapperUnderTest[],
  settings: StackSettings,
  stops: Stop[],
): Promise<{ url: string; process: ServiceProcess }> {
  const model = { name: EXPERIMENT_MODEL_NAME, replicaUrls: wrappers.map((w) => w.url) };
  const routes = await serveRoutes(model, plane.credentials.routeTable);
  stops.push(() => new Promise((resolve) => routes.close(resolve)));
  const router = await startRouterApp('router', urlOfServer(routes), {
    MLRUN_ROUTE_TABLE_TOKEN: plane.credentials.routeTable,
    MLRUN_METRICS_TOKEN: digestOf(plane.credentials.metrics),
    ...settings.env?.router,
  });
  stops.push(() => router.process.stop());
  return router;
}

function describe(
  plane: AuthPlane,
  router: { url: string; process: ServiceProcess },
  wrappers: WrapperUnderTest[],
): Omit<ExperimentStack, 'settings' | 'clients' | 'stop'> {
  const headers = scraperHeaders(plane.credentials);
  const pids: StackPids = { plane: pidOf(plane), router: pidOf(router.process) };
  wrappers.forEach((w, i) => (pids[`wrapper-${i + 1}`] = pidOf(w.process)));
  return {
    routerUrl: router.url,
    predictUrl: `${router.url}/v1/models/${EXPERIMENT_MODEL_NAME}/predict`,
    wrapperUrls: wrappers.map((w) => w.url),
    issuerUrl: plane.issuerUrl,
    validatorUrl: plane.validatorUrl,
    scrypt: EXPERIMENT_SCRYPT,
    admin: { username: 'admin', password: plane.adminPassword },
    introspectionToken: plane.credentials.introspection,
    scrapeTargets: [
      // The plane is one process serving /metrics on its issuer and on its validator app;
      // each app's registry has its own service counters (and the process's CPU).
      { name: 'plane', url: plane.issuerUrl, headers },
      { name: 'validator', url: plane.validatorUrl, headers },
      { name: 'router', url: router.url, headers },
      ...wrappers.map((w, i) => ({ name: `wrapper-${i + 1}`, url: w.url, headers: w.scrape })),
    ],
    pids,
    processTree: () =>
      Object.fromEntries(
        Object.entries(pids).map(([name, pid]) => [
          name,
          [pid, ...descendantsOf(pid).map((p) => p.pid)],
        ]),
      ),
  };
}

// The plane keeps its data (token store, users' bootstrap) in a temp dir of its own.
async function stopPlane(plane: AuthPlane): Promise<void> {
  await plane.stop();
  await rm(plane.dataDir, { recursive: true, force: true });
}

function pidOf(service: ServiceProcess): number {
  const pid = service.process.pid;
  if (pid === undefined) throw new Error('a service process has no pid: it failed to spawn');
  return pid;
}

function once(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= run());
}
