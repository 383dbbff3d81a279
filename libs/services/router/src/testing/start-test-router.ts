import { MemoryPredictionBus, MemoryPredictionResults } from '@ml-run/async-predictions';
import { requestCheckerProvider } from '@ml-run/bearer-auth';
import { FakeValidator } from '@ml-run/bearer-auth/testing';
import { loadConfig } from '@ml-run/config';
import { MemoryEventBus, type EventSubscriber } from '@ml-run/event-bus';
import {
  MODEL_EVENTS_TOPIC,
  type AliasTarget,
  type DeploymentRecord,
  type ModelEvent,
  type RouteTable,
} from '@ml-run/registry-contract';
import type { ServiceApp } from '@ml-run/server';
import { TEST_CREDENTIALS, TEST_METRICS_TOKEN } from '@ml-run/server/testing';

import { createRouterApp } from '../lib/create-router-app';
import { routerConfigShape } from '../lib/router.config';
import type { RouterAdapters } from '../lib/router.module';
import type { RouteSnapshot } from '../lib/routes/route-snapshot.port';
import { RouteSync } from '../lib/routes/route-sync.service';

/** What a caller sends: the router only checks a bearer header is there; replicas check it. */
export const CALLER = { authorization: 'Bearer caller-token-checked-by-the-replica' };

/** The route-table credential of this test router (GET /v1/routes/inflight). */
export const TEST_ROUTE_TABLE_TOKEN = TEST_CREDENTIALS['route-table'];
export const SERVICE = { authorization: `Bearer ${TEST_ROUTE_TABLE_TOKEN}` };

/** Asynchronous predictions of a test router: its bus, results and the validator it asks. */
export type TestAsync = {
  bus: MemoryPredictionBus;
  results: MemoryPredictionResults;
  /** Grant tokens here: the router introspects the async routes' tokens with it. */
  validator: FakeValidator;
};

export type TestRouter = {
  app: ServiceApp;
  /** Set with the `async` option. */
  async?: TestAsync;
  bus: MemoryEventBus;
  settled: () => Promise<void>;
  /**
   * What the builder does on a change: its route table becomes `routes`, then `hint` goes
   * out on the bus; resolves once the router has reloaded. Needs the `routes` option.
   */
  changeRoutes: (routes: RouteTable, hint: ModelEvent) => Promise<void>;
};

type TestRouterOptions = {
  /** Served as the snapshot; ignored when `snapshot` is given. */
  routes?: RouteTable;
  snapshot?: RouteSnapshot;
  events?: EventSubscriber;
  random?: (alias: string) => number;
  settings?: Record<string, string>;
  /** Receives the JSON log lines (set MLRUN_LOG_LEVEL too: tests default to silent). */
  logLines?: string[];
  /** Serve asynchronous predictions (memory bus and results, a fake validator). */
  async?: boolean | Pick<RouterAdapters, 'resolveHost'>;
  /** The bus of `async` (default: a new one). */
  asyncBus?: MemoryPredictionBus;
  localReplicas?: RouterAdapters['localReplicas'];
};

const INTROSPECTION = 'test-introspection-credential';

async function testAsync(events: MemoryEventBus, bus = new MemoryPredictionBus()) {
  const validator = new FakeValidator(INTROSPECTION);
  const url = await validator.start();
  const results = new MemoryPredictionResults();
  const authorizer = requestCheckerProvider({
    l1: { maxEntries: 100, ttlMs: 0, negativeTtlMs: 0 },
    validator: { url, credential: INTROSPECTION, timeoutMs: 2000 },
    revocations: events,
  });
  return {
    test: { bus, results, validator },
    adapters: { asyncPredictions: { queue: bus, results, outcomes: bus }, authorizer },
    close: async () => {
      await bus.close();
      await results.close();
      await validator.stop();
    },
  };
}

/** A router on a memory bus, not listening (use inject); waits for a `routes` snapshot. */
export async function startTestRouter(options: TestRouterOptions = {}): Promise<TestRouter> {
  const config = loadConfig(routerConfigShape, {
    MLRUN_PORT: '0',
    MLRUN_LOG_LEVEL: 'silent',
    MLRUN_ROUTE_TABLE_TOKEN: TEST_ROUTE_TABLE_TOKEN,
    MLRUN_METRICS_TOKEN: TEST_METRICS_TOKEN,
    ...options.settings,
  });
  const bus = new MemoryEventBus();
  let routes = options.routes ?? { models: {} };
  const async = options.async ? await testAsync(bus, options.asyncBus) : undefined;
  const app = await createRouterApp(
    config,
    {
      events: options.events ?? bus,
      snapshot: options.snapshot ?? (async () => structuredClone(routes)),
      random: options.random,
      ...async?.adapters,
      ...(typeof options.async === 'object' && options.async),
      ...(options.localReplicas && { localReplicas: options.localReplicas }),
    },
    {
      handleSignals: false,
      ...(async && { resources: [{ close: async.close }] }),
      logDestination: options.logLines && { write: (line) => void options.logLines?.push(line) },
    },
  );
  const sync = app.nest.get(RouteSync);
  const settled = () => sync.settled();
  if (!options.snapshot) await settled();
  const changeRoutes = async (next: RouteTable, hint: ModelEvent) => {
    routes = next;
    await bus.publish(MODEL_EVENTS_TOPIC, hint);
    await settled();
  };
  return { app, bus, settled, changeRoutes, ...(async && { async: async.test }) };
}

/** A route table from a terse description. */
export function routesOf(
  models: Record<
    string,
    { versions?: Record<string, string[]>; aliases?: Record<string, AliasTarget> }
  >,
): RouteTable {
  const table: RouteTable = { models: {} };
  for (const [name, model] of Object.entries(models)) {
    table.models[name] = { versions: model.versions ?? {}, aliases: model.aliases ?? {} };
  }
  return table;
}

/** An alias onto one version, or onto weighted versions. */
export function aliasOf(...versions: [string, number][]): AliasTarget {
  return { versions: versions.map(([version, weight]) => ({ version, weight })) };
}

/** A deployment event whose replicas are READY at `ready` (and starting at `starting`). */
export function deploymentEvent(
  type: 'deployment.ready' | 'deployment.changed' | 'deployment.failed' | 'deployment.removed',
  name: string,
  version: string,
  ready: string[],
  starting: string[] = [],
): ModelEvent {
  const replica = (url: string, index: number, state: 'ready' | 'starting') => ({
    id: `${name}-${index}`,
    url,
    state,
    restarts: 0,
  });
  const deployment: DeploymentRecord = {
    name,
    version,
    target: 'process',
    replicas: ready.length + starting.length,
    state: type === 'deployment.removed' ? 'removed' : 'ready',
    replicaStatus: [
      ...ready.map((url, index) => replica(url, index, 'ready')),
      ...starting.map((url, index) => replica(url, ready.length + index, 'starting')),
    ],
    updatedAt: '2026-11-28T12:00:00.000Z',
  };
  return { type, deployment, at: deployment.updatedAt };
}
