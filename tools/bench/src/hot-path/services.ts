// Starts what one case needs (baselines, wrappers, a router), as its own processes per
// case, so each case's CPU and --profile output are its own.
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';

import { descendantsOf, digestOf, REPO_ROOT, type PlaneCredentials } from '@ml-run/process-testing';
import { JWKS_PATH } from '@ml-run/token-contract';

import {
  serveRoutes,
  startModelWrapper,
  startRouterApp,
  urlOfServer,
  type WrapperUnderTest,
} from '../bench-stack';
import { startBaseline } from './baselines/start-baseline';
import { loginAll, type BenchPlane } from './bench-plane';
import { bundleWithCpu } from './bundle-copy';
import type { CaseName } from './cases';
import type { LoadTarget } from './closed-load';
import type { Role, RoleName } from './cpu-accounting';

/** A case's processes, up and answering. */
export type RunningCase = { target: LoadTarget; roles: Role[]; stop: () => Promise<void> };

export type ServiceSettings = {
  /** The auth plane and its logged-in clients, started on first use. */
  plane: () => Promise<BenchPlane>;
  /** The same with MLRUN_TOKEN_FORMAT=jwt (the -jwt cases), started on first use. */
  signedPlane: () => Promise<BenchPlane>;
  /** --profile: each role's .cpuprofile files go to <dir>/<case>/<role>. */
  profile?: ProfileSettings;
  baselineRouter?: string;
  baselineWrapper?: string;
  /** --model: your bundle, and what its cases send. */
  model?: { dir: string; workers: number; body: string; contentType: string };
};

const ECHO_MODEL = 'examples/echo-node';
const IRIS_MODEL = 'examples/iris-python';
const IRIS_MODEL_DIR = path.resolve(REPO_ROOT, IRIS_MODEL);
/** As many python workers as the peers get. */
const IRIS_WORKERS = 2;
/** What echo-node and the bare servers are sent (echo-node answers `echo: hello`). */
export const ECHO_BODY = { body: 'hello', contentType: 'text/plain' };
/** A valid iris input (the model's docstring and self-test). */
export const IRIS_BODY = {
  body: '{"features":[5.1,3.5,1.4,0.2]}',
  contentType: 'application/json',
};

// Always the same settings around what a case varies: no sandbox (the manifest's CPU limit,
// which only the sandbox enforces, would cap the python workers below what the peers get)
// and no load shedding (a 429 would fail the case).
const WRAPPER_BASE = { MLRUN_SANDBOX: 'off', MLRUN_MAX_INFLIGHT: '100000' };
const AUTH_OFF = { MLRUN_AUTH_MODE: 'disabled' };
const AUTH_ON = { MLRUN_AUTH_MODE: 'bearer' };

type Stops = (() => Promise<unknown>)[];

/** Starts the case's processes; on a failed start stops what it had started, then throws. */
export async function startCase(name: CaseName, settings: ServiceSettings): Promise<RunningCase> {
  const stops: Stops = [];
  const stop = async () => {
    for (const one of stops.reverse()) await one().catch(() => undefined);
    stops.length = 0;
  };
  try {
    const started = await start(name, settings, stops);
    return { ...started, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

type Starter = (name: CaseName, settings: ServiceSettings, stops: Stops) => Promise<Started>;
type Started = Omit<RunningCase, 'stop'>;

function start(name: CaseName, settings: ServiceSettings, stops: Stops): Promise<Started> {
  const starters: Record<CaseName, Starter> = {
    echo: startEcho,
    'undici-proxy': startProxy,
    'node-proxy': startProxy,
    'wrapper-off': startWrapperCase,
    'wrapper-warm': startWrapperCase,
    'wrapper-miss': startWrapperCase,
    'wrapper-warm-jwt': startWrapperCase,
    'wrapper-miss-jwt': startWrapperCase,
    'wrapper-baseline': startWrapperCase,
    'python-off': startWrapperCase,
    'python-warm': startWrapperCase,
    'python-sandboxed': startWrapperCase,
    'model-off': startWrapperCase,
    'model-warm': startWrapperCase,
    'model-miss': startWrapperCase,
    router: startRouterCase,
    'router-baseline': startRouterCase,
    'python-router': startRouterCase,
    mlflow: notHere,
    bentoml: notHere,
  };
  return starters[name](name, settings, stops);
}

const notHere: Starter = (name) =>
  Promise.reject(new Error(`${name} is a peer: start it with startPeerCase`));

const startEcho: Starter = async (name, settings, stops) => {
  const echo = await startBaseline('echo-server', profileEnv(settings.profile, name, 'echo'));
  stops.push(() => echo.process.stop());
  return {
    target: { url: `${echo.url}/`, ...ECHO_BODY, tokens: [] },
    roles: [pidRole('echo', echo.process.process.pid)],
  };
};

const startProxy: Starter = async (name, settings, stops) => {
  const echo = await startBaseline('echo-server', profileEnv(settings.profile, name, 'echo'));
  stops.push(() => echo.process.stop());
  const kind = name === 'undici-proxy' ? 'undici-proxy' : 'node-proxy';
  const proxy = await startBaseline(kind, {
    ...profileEnv(settings.profile, name, 'proxy'),
    UPSTREAM: echo.url,
  });
  stops.push(() => proxy.process.stop());
  return {
    target: { url: `${proxy.url}/`, ...ECHO_BODY, tokens: [] },
    roles: [pidRole('proxy', proxy.process.process.pid), pidRole('echo', echo.process.process.pid)],
  };
};

// The wrapper alone: auth off, on with a warm L1, or on with L1 off (every request a miss).
// -jwt: signed tokens, verified by the wrapper with the issuer's JWKS.
const startWrapperCase: Starter = async (name, settings, stops) => {
  const signed = name.endsWith('-jwt');
  const bench = await (signed ? settings.signedPlane() : settings.plane());
  const { dir, workers, body, auth } = wrapperCaseOf(name, settings);
  const env = {
    MLRUN_WORKERS: String(workers),
    ...(auth === 'off' ? AUTH_OFF : AUTH_ON),
    ...(signed ? { MLRUN_TOKEN_JWKS_URL: `${bench.plane.issuerUrl}${JWKS_PATH}` } : {}),
    ...(auth === 'miss' ? { MLRUN_L1_MAX_ENTRIES: '0' } : {}),
    ...(name === 'python-sandboxed' ? { MLRUN_SANDBOX: 'auto' } : {}),
  };
  const app = name === 'wrapper-baseline' ? settings.baselineWrapper : undefined;
  const profile = profileEnv(settings.profile, name, 'wrapper');
  const wrapper = await wrapperFor(bench, dir, env, profile, stops, app);
  // Every request a miss: one token per connection, so concurrent misses are not folded
  // into one validator call; warm: one token, always in L1.
  // A replica vouches itself only for tokens issued after it heard every revocation (its
  // start): the -jwt cases log in again once it is up, as clients of a running replica do.
  const all = signed ? await loginAll(bench.plane, bench.clients) : bench.tokens;
  const tokens = auth === 'off' ? [] : auth === 'miss' ? all : all.slice(0, 1);
  const plane = auth === 'off' ? [] : [pidRole('plane', bench.plane.process.pid)];
  return {
    target: { url: `${wrapper.url}/v1/predict`, ...body, tokens },
    roles: [...wrapperRoles(wrapper), ...plane],
  };
};

type WrapperCase = {
  dir: string;
  workers: number;
  body: { body: string; contentType: string };
  auth: 'off' | 'warm' | 'miss';
};

function wrapperCaseOf(name: CaseName, settings: ServiceSettings): WrapperCase {
  const kind = name.replace(/-jwt$/, '');
  const auth = kind.endsWith('-off') ? 'off' : kind.endsWith('-miss') ? 'miss' : 'warm';
  if (name.startsWith('model-')) {
    if (!settings.model) throw new Error(`${name} needs --model <bundle dir>`);
    const { dir, workers, ...body } = settings.model;
    return { dir, workers, body, auth };
  }
  // Sandboxed: a copy asking for every core, so the manifest's 500m does not bind and
  // what shows is the sandbox's own cost against python-off.
  if (name === 'python-sandboxed')
    return {
      dir: bundleWithCpu(IRIS_MODEL_DIR, availableParallelism()),
      workers: IRIS_WORKERS,
      body: IRIS_BODY,
      auth: 'off',
    };
  if (name.startsWith('python'))
    return { dir: IRIS_MODEL_DIR, workers: IRIS_WORKERS, body: IRIS_BODY, auth };
  return { dir: ECHO_MODEL, workers: 1, body: ECHO_BODY, auth };
}

// A standalone router, fed a route table listing one wrapper (auth on, warm L1).
const startRouterCase: Starter = async (name, settings, stops) => {
  const bench = await settings.plane();
  const model = name === 'python-router' ? IRIS_MODEL : ECHO_MODEL;
  const profile = (role: RoleName) => profileEnv(settings.profile, name, role);
  const workers = { MLRUN_WORKERS: String(model === IRIS_MODEL ? IRIS_WORKERS : 1) };
  const env = { ...AUTH_ON, ...workers };
  const wrapper = await wrapperFor(bench, model, env, profile('wrapper'), stops);
  const modelName = model === IRIS_MODEL ? 'iris' : 'echo';
  const routes = await serveRoutes(
    { name: modelName, replicaUrls: [wrapper.url] },
    bench.plane.credentials.routeTable,
  );
  stops.push(() => new Promise((resolve) => routes.close(resolve)));
  const app = name === 'router-baseline' ? (settings.baselineRouter ?? 'router') : 'router';
  const router = await startRouterApp(app, urlOfServer(routes), {
    ...routerCredentials(bench.plane.credentials),
    ...profile('router'),
  });
  stops.push(() => router.process.stop());
  return {
    target: {
      url: `${router.url}/v1/models/${modelName}/predict`,
      ...bodyOf(model),
      tokens: bench.tokens.slice(0, 1),
    },
    roles: [
      pidRole('router', router.process.process.pid),
      ...wrapperRoles(wrapper),
      pidRole('plane', bench.plane.process.pid),
    ],
  };
};

async function wrapperFor(
  bench: BenchPlane,
  model: string,
  env: Record<string, string>,
  profile: Record<string, string>,
  stops: Stops,
  app?: string,
): Promise<WrapperUnderTest> {
  const wrapper = await startModelWrapper(
    bench.plane,
    model,
    { ...WRAPPER_BASE, ...env, ...profile },
    app,
  );
  stops.push(() => wrapper.process.stop());
  return wrapper;
}

function bodyOf(model: string): { body: string; contentType: string } {
  return model === IRIS_MODEL ? IRIS_BODY : ECHO_BODY;
}

function pidRole(name: RoleName, pid: number | undefined): Role {
  return { name, pids: () => (pid === undefined ? [] : [pid]) };
}

// The wrapper process, and apart from it every process under it (its model workers).
function wrapperRoles(wrapper: WrapperUnderTest): Role[] {
  const pid = wrapper.process.process.pid;
  return [
    pidRole('wrapper', pid),
    {
      name: 'workers',
      pids: () => (pid === undefined ? [] : descendantsOf(pid).map((p) => p.pid)),
    },
  ];
}

// Builds from before the per-role credentials (one MLRUN_SERVICE_TOKEN) are not supported:
// copy a build of a commit that has them.
function routerCredentials(credentials: PlaneCredentials): Record<string, string> {
  return {
    MLRUN_ROUTE_TABLE_TOKEN: credentials.routeTable,
    MLRUN_METRICS_TOKEN: digestOf(credentials.metrics),
  };
}

/** --profile: where the profiles go, and the bundled preload that writes them. */
export type ProfileSettings = { dir: string; preload: string };

/** The env that makes a Node service (and Node children keeping its env) profile itself. */
export function profileEnv(
  profile: ProfileSettings | undefined,
  caseName: string,
  role: RoleName,
): Record<string, string> {
  if (!profile) return {};
  const dir = path.join(profile.dir, caseName, role);
  mkdirSync(dir, { recursive: true });
  const inherited = process.env['NODE_OPTIONS'];
  return {
    NODE_OPTIONS: `${inherited ? `${inherited} ` : ''}--require=${profile.preload}`,
    HOT_PATH_PROFILE_DIR: dir,
  };
}
