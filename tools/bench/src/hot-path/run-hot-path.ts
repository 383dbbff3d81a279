// One run of the hot-path bench: start every case, measure them in interleaved rounds,
// the open loop through the router, then stop everything and summarize.
import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';

import { startBenchPlane, type BenchPlane } from './bench-plane';
import { bundleOwnFile } from './bundle';
import { PEER_CASES, selectCases, type CaseName, type CaseSpec } from './cases';
import type { Cleanup } from './cleanup';
import type { HotPathFlags } from './flags';
import { evaluateGoals, type GoalResult } from './goals';
import { measureWindow } from './measure';
import { modelUnderTest } from './model-under-test';
import { checkOpenLoop, type OpenLoopCheck } from './open-loop-check';
import { peersMissing, startPeerCase } from './peer-cases';
import { readProfiles, type ProfileReport } from './profiles';
import { startCase, type ProfileSettings, type RunningCase } from './services';
import { summarizeCases, windowProblem, type CaseOutcome, type CaseSummary } from './summary';

export type HotPathResult = {
  cases: CaseSummary[];
  outcomes: CaseOutcome[];
  goals: GoalResult[];
  openLoop?: OpenLoopCheck;
  profiles: ProfileReport[];
};

type Settings = Parameters<typeof startCase>[1];
type Log = (line: string) => void;

export async function runHotPath(
  flags: HotPathFlags,
  cleanup: Cleanup,
  log: Log,
): Promise<HotPathResult> {
  const specs = selectCases(flags);
  const profile = flags.profile ? await profileSettings(flags.out) : undefined;
  const model = await modelUnderTest(flags);
  const settings = { ...serviceSettings(flags, cleanup, profile), ...(model ? { model } : {}) };
  const { outcomes, running } = await startAll(specs, settings, cleanup, log);
  await runRounds(flags, outcomes, running, log);
  const cases = summarizeCases(specs, [...outcomes.values()]);
  const openLoop = await openLoopThroughRouter(cases, running, flags, settings.plane, log);
  // Stopped before the profiles are read: a process writes its .cpuprofile as it exits.
  await cleanup.stopAll();
  const profiles = profile ? readProfiles(profile.dir) : [];
  return {
    cases,
    outcomes: [...outcomes.values()],
    goals: evaluateGoals(cases, openLoop, availableParallelism()),
    ...(openLoop ? { openLoop } : {}),
    profiles,
  };
}

async function profileSettings(out: string): Promise<ProfileSettings> {
  const dir = path.resolve(out, 'profiles');
  rmSync(dir, { recursive: true, force: true }); // a previous run's profiles are not this run's
  return { dir, preload: await bundleOwnFile('profiling/cpu-profile-preload') };
}

// The plane starts on the first case that needs it, once, and is stopped last.
function serviceSettings(
  flags: HotPathFlags,
  cleanup: Cleanup,
  profile?: ProfileSettings,
): Settings {
  const planes: Partial<Record<'opaque' | 'jwt', Promise<BenchPlane>>> = {};
  const planeOf = (format: 'opaque' | 'jwt') => () => {
    planes[format] ??= startBenchPlane(flags.connections, format).then((started) => {
      const pid = started.plane.process.pid;
      cleanup.add(
        () => started.plane.stop(),
        () => (pid ? [pid] : []),
      );
      return started;
    });
    return planes[format];
  };
  return {
    plane: planeOf('opaque'),
    signedPlane: planeOf('jwt'),
    ...(profile ? { profile } : {}),
    ...(flags.baselineRouter ? { baselineRouter: flags.baselineRouter } : {}),
    ...(flags.baselineWrapper ? { baselineWrapper: flags.baselineWrapper } : {}),
  };
}

// Every case up before the first round, a few starting at once (start-up is mostly
// waiting: python imports, readiness polls); one that does not start is a failed case, the
// peers when not installed are skipped cases, and the run goes on with the others.
async function startAll(specs: CaseSpec[], settings: Settings, cleanup: Cleanup, log: Log) {
  const wantsPeers = specs.some((s) => PEER_CASES.includes(s.name));
  const peerProblem = wantsPeers ? await peersMissing() : undefined;
  const startOne = async (name: CaseName): Promise<[CaseOutcome, RunningCase?]> => {
    if (peerProblem && PEER_CASES.includes(name)) {
      log(`${name}: skipped (${peerProblem})`);
      return [{ name, status: 'skipped', reason: peerProblem, windows: [] }];
    }
    try {
      log(`${name}: starting`);
      const started = await startSpec(name, settings);
      cleanup.add(started.stop, () => topPids(started));
      return [{ name, status: 'ok', windows: [] }, started];
    } catch (error) {
      const reason = `did not start: ${error instanceof Error ? error.message : String(error)}`;
      log(`${name}: FAILED, ${reason}`);
      return [{ name, status: 'failed', reason, windows: [] }];
    }
  };
  const results = await inParallel(
    specs.map((s) => s.name),
    STARTS_AT_ONCE,
    startOne,
  );
  // In catalogue order, whatever order they started in: the rounds follow it.
  const outcomes = new Map<CaseName, CaseOutcome>();
  const running = new Map<CaseName, RunningCase>();
  for (const [outcome, started] of results) {
    outcomes.set(outcome.name, outcome);
    if (started) running.set(outcome.name, started);
  }
  return { outcomes, running };
}

const STARTS_AT_ONCE = 3;

/** fn over the items, at most `limit` at a time; results in the items' order. */
async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// Round 1 measures every case, then round 2 every case...: slow drifts of the machine's
// load spread over all cases instead of falling on one. A failed case is measured no more.
async function runRounds(
  flags: HotPathFlags,
  outcomes: Map<CaseName, CaseOutcome>,
  running: Map<CaseName, RunningCase>,
  log: Log,
): Promise<void> {
  const window = {
    connections: flags.connections,
    seconds: flags.duration,
    warmupSeconds: flags.warmup,
  };
  for (let round = 1; round <= flags.rounds; round++)
    for (const [name, started] of running) {
      const outcome = outcomes.get(name);
      if (outcome?.status !== 'ok') continue;
      const result = await measureWindow(started, window);
      outcome.windows.push(result);
      const problem = windowProblem(result);
      if (problem) Object.assign(outcome, { status: 'failed', reason: problem });
      const { rps, p99Ms } = result.load;
      log(
        `round ${round}/${flags.rounds} ${name}: ${rps.toFixed(0)} req/s, p99 ${p99Ms.toFixed(2)} ms` +
          (problem ? `, FAILED: ${problem}` : ''),
      );
    }
}

function startSpec(name: CaseName, settings: Settings): Promise<RunningCase> {
  if (name === 'mlflow' || name === 'bentoml') return startPeerCase(name);
  return startCase(name, settings);
}

// The processes to SIGTERM on a sudden exit: not the workers (their wrapper ends them),
// not this process, not the shared plane (added on its own).
function topPids(started: RunningCase): number[] {
  return started.roles
    .filter((role) => !['workers', 'generator', 'plane'].includes(role.name))
    .flatMap((role) => role.pids());
}

// The open loop starts from nothing: fresh logins (tokens the wrapper's L1 has not seen)
// and no connections, opened as the in-flight count grows. That start is a backlog the
// service drains over the next seconds (runs with a 1 s warm-up still showed it in the
// first measured second's mean latency): the window starts after it, whatever --warmup.
const OPEN_LOOP_MIN_WARMUP_SECONDS = 3;

async function openLoopThroughRouter(
  cases: CaseSummary[],
  running: Map<CaseName, RunningCase>,
  flags: HotPathFlags,
  plane: () => Promise<BenchPlane>,
  log: Log,
): Promise<OpenLoopCheck | undefined> {
  const router = cases.find((c) => c.name === 'router');
  const started = running.get('router');
  if (!router || !started) return undefined;
  if (router.status !== 'ok' || !(router.rps > 0))
    return { rate: 0, p99Ms: Number.NaN, ok: false, note: 'the router case failed' };
  const bench = await plane();
  const rate = router.rps / 2;
  log(`open loop through the router at ${rate.toFixed(0)} req/s`);
  try {
    const check = await checkOpenLoop(started, {
      rate,
      seconds: flags.duration,
      warmupSeconds: Math.max(flags.warmup, OPEN_LOOP_MIN_WARMUP_SECONDS),
      clients: bench.clients,
      issuerUrl: bench.plane.issuerUrl,
    });
    log(`open loop: p99 ${check.p99Ms.toFixed(2)} ms${check.ok ? '' : `, FAILED: ${check.note}`}`);
    return check;
  } catch (error) {
    const note = `the open loop threw: ${error instanceof Error ? error.message : String(error)}`;
    return { rate, p99Ms: Number.NaN, ok: false, note };
  }
}
