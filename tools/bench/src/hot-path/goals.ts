// Issue 17's goals, judged from one run's table. Pure.
import type { CaseName } from './cases';
import type { RoleName } from './cpu-accounting';
import type { CaseSummary } from './summary';

export type GoalResult = {
  goal: string;
  /** What was measured, as the report prints it; undefined when it could not be. */
  measured?: number;
  unit: 'ratio' | 'ms' | 'µs/req' | 'share';
  target: string;
  /** undefined: not measured (a case skipped or failed; `note` says which). */
  met?: boolean;
  note?: string;
};

/** The open-loop check through the router, when it ran. */
export type OpenLoopSummary = {
  rate: number;
  p99Ms: number;
  /** Every answer 2xx, none an error. */
  ok: boolean;
  /** Requests not sent: too many in flight (the service fell behind the rate). */
  dropped?: number;
  note?: string;
};

type Lookup = (name: CaseName) => CaseSummary | undefined;

/**
 * `machineCores`, when given, lets a comparison with a peer be judged only if the machine
 * was saturated while the peer was loaded (its processes and the generator together kept
 * at least SATURATED of the cores busy): a peer that left cores idle was not at its limit.
 */
export function evaluateGoals(
  rows: readonly CaseSummary[],
  openLoop: OpenLoopSummary | undefined,
  machineCores?: number,
): GoalResult[] {
  const find: Lookup = (name) => rows.find((row) => row.name === name);
  return [
    ratioGoal(find, 'wrapper auth off ≥ 0.5× bare echo', 'wrapper-off', 'echo', 0.5),
    warmOverheadGoal(find),
    ratioGoal(
      find,
      'router → wrapper, auth on ≥ 0.7× bare undici proxy',
      'router',
      'undici-proxy',
      0.7,
    ),
    {
      ...ratioGoal(
        find,
        'router → wrapper, auth on vs bare node:http proxy',
        'router',
        'node-proxy',
        0.7,
      ),
      target: '(shown, not a goal)',
      met: undefined,
    },
    ...peerGoals(find, machineCores),
    openLoopGoal(openLoop),
    cpuGoal(find, 'router CPU per request (router → wrapper, echo-node)', 'router', 'router', 120),
    cpuGoal(
      find,
      'wrapper process CPU per request (echo-node, warm L1)',
      'wrapper-warm',
      'wrapper',
      60,
    ),
  ];
}

/** The share of the machine's cores that must have been busy for a peer to be judged. */
export const SATURATED = 0.85;

function peerGoals(find: Lookup, machineCores: number | undefined): GoalResult[] {
  return (['mlflow', 'bentoml'] as const).map((peer) =>
    peerGoal(
      ratioGoal(
        find,
        `python through router + auth ≥ 3× ${peer === 'mlflow' ? 'MLflow' : 'BentoML'}`,
        'python-router',
        peer,
        3,
      ),
      find(peer),
      machineCores,
    ),
  );
}

function peerGoal(
  judged: GoalResult,
  peer: CaseSummary | undefined,
  machineCores: number | undefined,
): GoalResult {
  if (judged.met === undefined || machineCores === undefined || !peer) return judged;
  const busy = peer.cpu.reduce((sum, role) => sum + (role.coresBusy || 0), 0);
  if (busy >= SATURATED * machineCores) return judged;
  return {
    ...judged,
    met: undefined,
    note: `not judged: while ${peer.name} was loaded only ${busy.toFixed(2)} of ${machineCores} cores were busy (its side was not saturated)`,
  };
}

function unmeasured(name: CaseName, row: CaseSummary | undefined): string {
  if (!row) return `${name} was not run`;
  return `${name} ${row.status}${row.reason ? `: ${row.reason}` : ''}`;
}

function ratioGoal(
  find: Lookup,
  goal: string,
  name: CaseName,
  base: CaseName,
  atLeast: number,
): GoalResult {
  const [row, baseRow] = [find(name), find(base)];
  const target = `≥ ${atLeast}`;
  if (row?.status !== 'ok') return { goal, unit: 'ratio', target, note: unmeasured(name, row) };
  if (baseRow?.status !== 'ok' || !(baseRow.rps > 0))
    return { goal, unit: 'ratio', target, note: unmeasured(base, baseRow) };
  const measured = row.rps / baseRow.rps;
  return { goal, measured, unit: 'ratio', target, met: measured >= atLeast };
}

// 1 − warm/off: the throughput the token check costs with every token in L1.
function warmOverheadGoal(find: Lookup): GoalResult {
  const goal = 'warm-cache auth overhead (1 − warm/off) ≤ 5%';
  const [warm, off] = [find('wrapper-warm'), find('wrapper-off')];
  const target = '≤ 0.05';
  if (warm?.status !== 'ok')
    return { goal, unit: 'share', target, note: unmeasured('wrapper-warm', warm) };
  if (off?.status !== 'ok' || !(off.rps > 0))
    return { goal, unit: 'share', target, note: unmeasured('wrapper-off', off) };
  const measured = 1 - warm.rps / off.rps;
  return { goal, measured, unit: 'share', target, met: measured <= 0.05 };
}

function openLoopGoal(openLoop: OpenLoopSummary | undefined): GoalResult {
  const goal = 'p99 through the router at half the maximum rate ≤ 5 ms';
  if (!openLoop) return { goal, unit: 'ms', target: '≤ 5', note: 'the open loop did not run' };
  if (!openLoop.ok)
    return { goal, unit: 'ms', target: '≤ 5', note: openLoop.note ?? 'the open loop failed' };
  const dropped = openLoop.dropped ?? 0;
  return {
    goal,
    measured: openLoop.p99Ms,
    unit: 'ms',
    target: '≤ 5',
    met: openLoop.p99Ms <= 5 && dropped === 0,
    note: `at ${openLoop.rate.toFixed(0)} req/s${dropped > 0 ? `, ${dropped} requests dropped` : ''}`,
  };
}

function cpuGoal(
  find: Lookup,
  goal: string,
  name: CaseName,
  role: RoleName,
  atMost: number,
): GoalResult {
  const row = find(name);
  const target = `≤ ${atMost}`;
  if (row?.status !== 'ok') return { goal, unit: 'µs/req', target, note: unmeasured(name, row) };
  const measured = row.cpu.find((c) => c.role === role)?.usPerRequest;
  if (measured === undefined || Number.isNaN(measured))
    return { goal, unit: 'µs/req', target, note: `no ${role} CPU in ${name}` };
  return { goal, measured, unit: 'µs/req', target, met: measured <= atMost };
}
