// Calibration: the service time of each station of the queueing model on this machine,
// from CPU time per completion (the process doing only that station's work, driven at
// saturation) and from light-load latency (requests paced far apart). Each station is
// isolated by the workload driven, not by process: the embedded plane runs the issuer,
// the validator, a builder and a router in one process, so its CPU per completion is
// meaningful only while one kind of request reaches it.
import os from 'node:os';

import { login } from '@ml-run/process-testing';
import { type MlrunServiceRates } from '@ml-run/qnet';

import {
  addedBy,
  capacityDocument,
  predictFigures,
  serviceRatesOf,
  stationFigures,
  type CalibratedStation,
  type CalibrationContext,
  type StationFigures,
  type WorkSnapshot,
} from './calibration-math';
import {
  EXPERIMENT_SCRYPT,
  PRODUCTION_SCRYPT,
  startExperimentStack,
  type ExperimentStack,
  type ScryptCost,
} from './stack';
import { pacedLatency, saturate, type StationRequest } from './station-load';
import { cpuPer, cpuPerBoth } from './work-snapshots';

export type CalibrationOptions = {
  /** The model bundle whose predict is measured. */
  model: string;
  /** Short windows and few paced requests: checks the pipeline, not the numbers. */
  quick?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
};

export type CalibrationResult = {
  context: CalibrationContext;
  model: string;
  /** Per station; the issuer's at the production scrypt cost. */
  stations: Record<CalibratedStation, StationFigures>;
  /** The issuer with the experiment users' cheap hashes: what the validation runs meet. */
  issuerAtExperimentCost: StationFigures;
  scrypt: { production: ScryptCost; experiment: ScryptCost };
  /** μ per station (issuer at the production cost): the parameter file's serviceRates. */
  serviceRates: MlrunServiceRates;
  /** The same with the issuer at the experiment cost: the validation's model uses these. */
  experimentServiceRates: MlrunServiceRates;
  /**
   * Per request, the part of a visit no station holds (HTTP, the wrapper's handling, the
   * pipe to the worker): the validation adds it to the model's latency.
   */
  pathOverheadSeconds: number;
  /** The capacity parameter file to write (parses with parseCapacityParameters). */
  document: ReturnType<typeof capacityDocument>;
};

type Plan = { seconds: number; paced: number; slowPaced: number };

const ZERO_SLEEP = '{"serviceMs":0}';
const TEXT = { 'content-type': 'text/plain' };
// The router refuses a predict without a bearer header before routing it; with auth off
// the wrapper never looks at it. Sent on direct requests too, so both paths carry the same.
const UNCHECKED_BEARER = { ...TEXT, authorization: 'Bearer unchecked' };

/** Measures every station on this machine; starts and stops two stacks (auth off, on). */
export async function runCalibration(options: CalibrationOptions): Promise<CalibrationResult> {
  const plan: Plan = options.quick
    ? { seconds: 2, paced: 30, slowPaced: 3 }
    : { seconds: 10, paced: 400, slowPaced: 30 };
  const log = options.log ?? (() => undefined);
  const machine = describeMachine();
  const open = await withStack(options.model, 'off', (stack) => measureOpen(stack, plan, log));
  const secured = await withStack(options.model, 'bearer', (stack) =>
    measureSecured(stack, plan, open.wrapperOff, log),
  );
  const stations = { ...open.stations, ...secured.stations, issuer: secured.issuerProduction };
  const context: CalibrationContext = {
    source: `tools/bench calibrate${options.quick ? ' --quick' : ''} (model ${options.model})`,
    at: new Date().toISOString(),
    machine,
    method: methodText(secured.issuerExperiment),
  };
  const experimentStations = { ...stations, issuer: secured.issuerExperiment };
  return {
    context,
    model: options.model,
    stations,
    issuerAtExperimentCost: secured.issuerExperiment,
    scrypt: { production: PRODUCTION_SCRYPT, experiment: EXPERIMENT_SCRYPT },
    serviceRates: serviceRatesOf(stations),
    pathOverheadSeconds: open.pathOverheadSeconds,
    experimentServiceRates: serviceRatesOf(experimentStations),
    document: capacityDocument(stations, context),
  };
}

async function withStack<T>(
  model: string,
  authMode: 'off' | 'bearer',
  run: (stack: ExperimentStack) => Promise<T>,
): Promise<T> {
  const stack = await startExperimentStack({
    wrappers: 1,
    workers: 1,
    clients: 8,
    l1Ttl: '60s',
    tokenTtl: '1h',
    model,
    authMode,
  });
  try {
    return await run(stack);
  } finally {
    await stack.stop();
  }
}

type OpenFigures = {
  stations: Record<'router' | 'predict', StationFigures>;
  pathOverheadSeconds: number;
  /** The wrapper's own CPU and latency per prediction with auth off: the token check's base. */
  wrapperOff: { cpuSeconds: number; latencySeconds: number };
};

// Auth off, one wrapper. Router: requests through it with a zero sleep; the router process
// does nothing else, and its latency share is through-the-router minus direct. Predict:
// direct to the wrapper at light load, with and without the model's work (predictFigures).
async function measureOpen(stack: ExperimentStack, plan: Plan, log: Log): Promise<OpenFigures> {
  const through: StationRequest = {
    url: stack.predictUrl,
    headers: UNCHECKED_BEARER,
    body: ZERO_SLEEP,
  };
  const direct: StationRequest = { ...through, url: `${stack.wrapperUrls[0]}/v1/predict` };
  await saturate(copies(through, 4), 1); // warm-up: connections, JIT, the worker
  const router = await routerCpu(stack, through, plan, log);
  const tree = () => stack.processTree()['wrapper-1'] ?? [];
  const [wrapperCpu, treeCpu] = await cpuPerBoth(
    stack,
    [stack.pids['wrapper-1'] ?? 0],
    tree(),
    () => saturate(copies(direct, 8), plan.seconds),
  );
  const viaRouter = await pacedLatency(through, 50, plan.paced);
  const directZero = await pacedLatency(direct, 50, plan.paced);
  const predictLatency = await lightLoadOfPredict(direct, plan, log);
  const timings = predictFigures({
    modelLatencySeconds: predictLatency,
    emptyLatencySeconds: directZero.meanSeconds,
    treeCpu,
    wrapperCpuSeconds: wrapperCpu.cpuSeconds,
  });
  log(
    `router: ${us(viaRouter.meanSeconds)} µs through it, ${us(directZero.meanSeconds)} µs direct`,
  );
  return {
    stations: {
      router: stationFigures(router, addedBy(viaRouter.meanSeconds, directZero.meanSeconds)),
      predict: timings.predict,
    },
    pathOverheadSeconds: timings.pathOverheadSeconds,
    wrapperOff: { cpuSeconds: wrapperCpu.cpuSeconds, latencySeconds: directZero.meanSeconds },
  };
}

async function routerCpu(
  stack: ExperimentStack,
  through: StationRequest,
  plan: Plan,
  log: Log,
): Promise<WorkSnapshot> {
  const routerPids = [stack.pids['router'] ?? 0];
  const router = await cpuPer(stack, routerPids, 'router', 'mlrun_router_requests_total', () =>
    saturate(copies(through, 8), plan.seconds),
  );
  log(`router: ${us(router.cpuSeconds)} µs CPU per request over ${router.completions}`);
  return router;
}

// The model's own time (its default body): a pilot of 10 sequential requests sets the pace
// at five mean service times apart, where a request rarely finds the worker busy
// (exponential service: e^-5 < 1% of the time).
async function lightLoadOfPredict(direct: StationRequest, plan: Plan, log: Log): Promise<number> {
  const request = { ...direct, body: '{}' };
  const pilot = await pacedLatency(request, 2, 1).then(() => pacedLatency(request, 5, 10));
  const rate = Math.min(50, 1 / (5 * pilot.meanSeconds));
  const measured = await pacedLatency(request, rate, plan.paced);
  if (measured.failures > 0) throw new Error(`predict: ${measured.failures} requests failed`);
  log(
    `predict: ${us(measured.meanSeconds)} µs light-load latency (${measured.count} at ${rate.toFixed(1)}/s)`,
  );
  return measured.meanSeconds;
}

type SecuredFigures = {
  stations: Record<'token-check' | 'validator', StationFigures>;
  issuerProduction: StationFigures;
  issuerExperiment: StationFigures;
};

// Auth on, one wrapper, the clients' tokens warm in its L1 (no validator call): the token
// check is the wrapper's CPU and latency per prediction with auth on minus with auth off
// (the same model work on both sides). The plane then gets one kind of request at a time:
// introspections (the validator), logins at the experiment cost, logins at the production
// cost (the admin's hash): the plane's CPU per completion is that station's.
async function measureSecured(
  stack: ExperimentStack,
  plan: Plan,
  off: OpenFigures['wrapperOff'],
  log: Log,
): Promise<SecuredFigures> {
  const tokens = await Promise.all(
    stack.clients.map(
      async (c) => (await login(stack.issuerUrl, c.username, c.password)).access_token,
    ),
  );
  const direct = tokens.map((token) => ({
    url: `${stack.wrapperUrls[0]}/v1/predict`,
    headers: { ...TEXT, authorization: `Bearer ${token}` },
    body: ZERO_SLEEP,
  }));
  await saturate(direct, 1); // warm-up: every token into the L1
  const wrapper = [stack.pids['wrapper-1'] ?? 0];
  const checked = await cpuPer(stack, wrapper, 'wrapper-1', 'mlrun_predictions_total', () =>
    saturate(direct, plan.seconds),
  );
  const pacedOn = await pacedLatency(direct[0] as StationRequest, 50, plan.paced);
  log(
    `token check: ${us(checked.cpuSeconds - off.cpuSeconds)} µs CPU, ${us(pacedOn.meanSeconds - off.latencySeconds)} µs latency`,
  );
  const tokenCheck = stationFigures(
    { cpuSeconds: addedBy(checked.cpuSeconds, off.cpuSeconds), completions: checked.completions },
    addedBy(pacedOn.meanSeconds, off.latencySeconds),
  );
  const validator = await measureValidator(stack, tokens[0] ?? '', plan, log);
  const issuerExperiment = await measureIssuer(stack, stack.clients, plan.paced, plan, log);
  const issuerProduction = await measureIssuer(stack, [stack.admin], plan.slowPaced, plan, log);
  return { stations: { 'token-check': tokenCheck, validator }, issuerExperiment, issuerProduction };
}

async function measureValidator(
  stack: ExperimentStack,
  token: string,
  plan: Plan,
  log: Log,
): Promise<StationFigures> {
  const introspect: StationRequest = {
    url: `${stack.validatorUrl}/v1/tokens/introspect`,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${stack.introspectionToken}`,
    },
    body: JSON.stringify({ token }),
  };
  const plane = [stack.pids['plane'] ?? 0];
  const cpu = await cpuPer(stack, plane, 'validator', 'mlrun_introspections_total', () =>
    saturate(copies(introspect, 4), plan.seconds),
  );
  const paced = await pacedLatency(introspect, 50, plan.paced);
  log(
    `validator: ${us(cpu.cpuSeconds)} µs CPU per introspection, ${us(paced.meanSeconds)} µs light-load latency`,
  );
  return stationFigures(cpu, paced.meanSeconds);
}

// Logins only; scrypt runs on libuv's thread pool, whose CPU counts in the process's.
async function measureIssuer(
  stack: ExperimentStack,
  users: readonly { username: string; password: string }[],
  pacedCount: number,
  plan: Plan,
  log: Log,
): Promise<StationFigures> {
  const logins = users.map((user) => ({
    url: `${stack.issuerUrl}/v1/auth/token`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'password',
      username: user.username,
      password: user.password,
    }),
  }));
  const connections = [logins[0], logins[1] ?? logins[0]] as StationRequest[];
  const plane = [stack.pids['plane'] ?? 0];
  const cpu = await cpuPer(stack, plane, 'plane', 'mlrun_tokens_issued_total', () =>
    saturate(connections, plan.seconds),
  );
  const rate = Math.min(50, 1 / (5 * Math.max(cpu.cpuSeconds, 0.001)));
  const paced = await pacedLatency(connections[0] as StationRequest, rate, pacedCount);
  const who =
    users.length === 1
      ? `${users[0]?.username} (production scrypt)`
      : 'test users (experiment scrypt)';
  log(
    `issuer, ${who}: ${us(cpu.cpuSeconds)} µs CPU per login, ${us(paced.meanSeconds)} µs light-load latency`,
  );
  return stationFigures(cpu, paced.meanSeconds);
}

type Log = (line: string) => void;

function copies(request: StationRequest, n: number): StationRequest[] {
  return Array.from({ length: n }, () => request);
}

function us(seconds: number): string {
  return (seconds * 1e6).toFixed(0);
}

function describeMachine(): string {
  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}, node ${process.version}; load average ${load} at the start`;
}

function methodText(issuerExperiment: StationFigures): string {
  const cheap = `N=${EXPERIMENT_SCRYPT.N} r=${EXPERIMENT_SCRYPT.r} p=${EXPERIMENT_SCRYPT.p}`;
  return [
    "CPU seconds per completion from /proc of the process doing only that station's work, driven at saturation with a few connections",
    '(router: the standalone router; token check: the wrapper with auth on and warm L1 minus auth off; validator: the embedded plane under introspections only;',
    `issuer: the plane under logins only, scrypt at the production cost N=${PRODUCTION_SCRYPT.N} r=${PRODUCTION_SCRYPT.r} p=${PRODUCTION_SCRYPT.p});`,
    'light-load latency: requests paced far apart, timed from their scheduled send (router and token check as differences of two paths).',
    "serviceRates = 1 / CPU per completion, except predict = 1 / the worker-busy time (light-load latency with the model's work minus with none, plus the worker's CPU per empty call): one worker per replica, its work may be sleep.",
    `The experiment users' logins (scrypt ${cheap}) cost ${(issuerExperiment.cpuSecondsPerCompletion * 1e3).toFixed(2)} ms CPU each (${(1 / issuerExperiment.serviceSeconds).toFixed(0)}/s).`,
  ].join(' ');
}
