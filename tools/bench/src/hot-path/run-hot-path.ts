// One run of the hot-path bench: start every case, measure them in interleaved rounds,
// the open loop through the router, then stop everything and summarize.
import path from 'node:path';

import { startBenchPlane, type BenchPlane } from './bench-plane';
import { PEER_CASES, selectCases, type CaseName, type CaseSpec } from './cases';
import type { Cleanup } from './cleanup';
import type { HotPathFlags } from './flags';
import { evaluateGoals, type GoalResult } from './goals';
import { measureWindow } from './measure';
import { checkOpenLoop, type OpenLoopCheck } from './open-loop-check';
import { peersMissing, startPeerCase } from './peer-cases';
import { readProfiles, type ProfileReport } from './profiles';
import { startCase, type RunningCase } from './services';
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
  const profileDir = flags.profile ? path.resolve(flags.out, 'profiles') : undefined;
  const settings = serviceSettings(flags, cleanup, profileDir);
  const { outcomes, running } = await startAll(specs, settings, cleanup, log);
  await runRounds(flags, outcomes, running, log);
  const cases = summarizeCases(specs, [...outcomes.values()]);
  const openLoop = await openLoopThroughRouter(cases, running, flags, settings.plane, log);
  // Stopped before the profiles are read: a process writes its .cpuprofile as it exits.
  await cleanup.stopAll();
  const profiles = profileDir ? readProfiles(profileDir) : [];
  return {
    cases,
    outcomes: [...outcomes.values()],
    goals: evaluateGoals(cases, openLoop),
    ...(openLoop ? { openLoop } : {}),
    profiles,
  };
}

// The plane starts on the first case that needs it, once, and is stopped last.
function serviceSettings(flags: HotPathFlags, cleanup: Cleanup, profileDir?: string): Settings {
  let plane: Promise<BenchPlane> | undefined;
  return {
    plane: () => {
      plane ??= startBenchPlane(flags.connections).then((started) => {
        const pid = started.plane.process.pid;
        cleanup.add(
          () => started.plane.stop(),
          () => (pid ? [pid] : []),
        );
        return started;
      });
      return plane;
    },
    ...(profileDir ? { profileDir } : {}),
    ...(flags.baselineRouter ? { baselineRouter: flags.baselineRouter } : {}),
    ...(flags.baselineWrapper ? { baselineWrapper: flags.baselineWrapper } : {}),
  };
}

// Every case up before the first round; one that does not start is a failed case, the
// peers when not installed are skipped cases, and the run goes on with the others.
async function startAll(specs: CaseSpec[], settings: Settings, cleanup: Cleanup, log: Log) {
  const outcomes = new Map<CaseName, CaseOutcome>();
  const running = new Map<CaseName, RunningCase>();
  const wantsPeers = specs.some((s) => PEER_CASES.includes(s.name));
  const peerProblem = wantsPeers ? await peersMissing() : undefined;
  for (const { name } of specs) {
    if (peerProblem && PEER_CASES.includes(name)) {
      outcomes.set(name, { name, status: 'skipped', reason: peerProblem, windows: [] });
      log(`${name}: skipped (${peerProblem})`);
      continue;
    }
    try {
      log(`${name}: starting`);
      const started = await startSpec(name, settings);
      running.set(name, started);
      cleanup.add(started.stop, () => topPids(started));
      outcomes.set(name, { name, status: 'ok', windows: [] });
    } catch (error) {
      const reason = `did not start: ${error instanceof Error ? error.message : String(error)}`;
      outcomes.set(name, { name, status: 'failed', reason, windows: [] });
      log(`${name}: FAILED, ${reason}`);
    }
  }
  return { outcomes, running };
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
      warmupSeconds: flags.warmup,
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
