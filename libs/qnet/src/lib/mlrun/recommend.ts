import { formatNumber } from '../analytic/format-number';
import { analyzeNetwork, type NetworkSolution } from '../analytic/solve-network';
import { trafficRates } from '../analytic/traffic-rates';
import { QnetError } from '../network';
import { mlrunNetwork, wrapperUtilization } from './mlrun-network';
import { type MlrunParameters, type MlrunServers } from './mlrun-parameters';
import { assertAboveZero } from './parameter-checks';

/** Beyond this many servers at one station the search gives up (met = false). */
export const MAX_SERVERS = 10_000;
// ρ ≤ u is checked with this slack, so a station sized at exactly λ/(c·μ) = u passes.
const SLACK = 1e-9;
// A growth step that lowers latency by less than this fraction counts as no progress.
const STALL = 1e-9;

/** What the deployment must sustain; defaults: the parameters' rate, ρ ≤ 0.7, no latency bound. */
export type RecommendTarget = {
  readonly rate?: number;
  readonly maxUtilization?: number;
  readonly maxLatencySeconds?: number;
};

export type Recommendation = {
  readonly servers: MlrunServers;
  /** The network with the recommended servers (infinite waits where a station is overloaded). */
  readonly solution: NetworkSolution;
  readonly met: boolean;
  /** Why the target is not met, when it is not. */
  readonly reason?: string;
};

type Goal = { readonly rate: number; readonly maxUtilization: number; readonly maxLatency: number };
type Growable = 'routers' | 'wrappers' | 'validators';
const GROWABLE: readonly Growable[] = ['routers', 'wrappers', 'validators'];

/**
 * Smallest N routers, K wrappers and M validators (issuers stay as given) that keep every
 * station at ρ ≤ maxUtilization, each wrapper replica (token check + predict) too, and the
 * mean end-to-end latency ≤ maxLatencySeconds. Starts from each station's minimum
 * c = ⌈λ_i / (u·μ_i)⌉ (for K, the summed load of the token check and predict), then adds the server that lowers latency most until the bound holds, then
 * drops any server the target does not need; removing one more of any kind breaks it.
 *
 * @example
 * const { servers, met } = recommend(DEFAULT_MLRUN_PARAMETERS, { rate: 10_000, maxLatencySeconds: 0.002 });
 */
export function recommend(p: MlrunParameters, target: RecommendTarget = {}): Recommendation {
  const goal = resolveGoal(p, target);
  const base: MlrunParameters = { ...p, rate: goal.rate };
  const start = serversForUtilization(base, goal.maxUtilization);
  const capped = GROWABLE.find((kind) => start[kind] > MAX_SERVERS);
  if (capped) {
    const reason = `The ${capped} would need ${start[capped]} servers, more than the cap of ${MAX_SERVERS}: lower the rate or raise the service rates.`;
    // Report the network at the cap (overloaded), not at millions of servers.
    const atCap = { ...start, [capped]: MAX_SERVERS };
    return conclude(base, atCap, goal, reason);
  }
  const issuerReason = issuerBreaksTarget(base, start, goal.maxUtilization);
  if (issuerReason) return conclude(base, start, goal, issuerReason);
  const grown = growForLatency(base, start, goal);
  if (grown.reason) return conclude(base, grown.servers, goal, grown.reason);
  return conclude(base, dropUnneeded(base, grown.servers, goal), goal);
}

function resolveGoal(p: MlrunParameters, target: RecommendTarget): Goal {
  const goal = {
    rate: target.rate ?? p.rate,
    maxUtilization: target.maxUtilization ?? 0.7,
    maxLatency: target.maxLatencySeconds ?? Number.POSITIVE_INFINITY,
  };
  assertAboveZero('target rate', goal.rate);
  if (target.maxLatencySeconds !== undefined) {
    assertAboveZero('target maxLatencySeconds', target.maxLatencySeconds);
  }
  if (!(goal.maxUtilization > 0 && goal.maxUtilization < 1)) {
    throw new QnetError(
      'INVALID_PROBABILITY',
      `target maxUtilization is ${goal.maxUtilization}: use a number above 0 and below 1.`,
    );
  }
  return goal;
}

function evaluate(base: MlrunParameters, servers: MlrunServers): NetworkSolution {
  return analyzeNetwork(mlrunNetwork({ ...base, servers }));
}

function meets(solution: NetworkSolution, goal: Goal): boolean {
  return (
    solution.stations.every((s) => s.utilization <= goal.maxUtilization + SLACK) &&
    wrapperUtilization(solution) <= goal.maxUtilization + SLACK &&
    solution.meanResponseTime <= goal.maxLatency
  );
}

// Per station c = ⌈λ_i / (u·μ_i)⌉. The validator comes last: its load
// λ·(p_stale + (1−p_stale)·p_miss) grows with K, because requests spread over more L1
// caches miss more often.
function serversForUtilization(base: MlrunParameters, u: number): MlrunServers {
  const { serviceRates: mu } = base;
  const probe = { ...base.servers, routers: 1, wrappers: 1, validators: 1 };
  const rates = trafficRates(mlrunNetwork({ ...base, servers: probe }));
  const routers = serversNeeded(rates.router / mu.router, u);
  // One replica does both the token check and predict: K carries their summed load.
  const wrapperLoad = rates['token-check'] / mu.tokenCheck + rates['predict'] / mu.predict;
  const wrappers = serversNeeded(wrapperLoad, u);
  if (wrappers > MAX_SERVERS) return { ...probe, routers, wrappers };
  const withK = { ...probe, routers, wrappers };
  return { ...withK, validators: validatorsFor(base, withK, u) };
}

// The validators that keep ρ ≤ u with these wrappers (K sets p_miss, so the validator load).
function validatorsFor(base: MlrunParameters, servers: MlrunServers, u: number): number {
  const rates = trafficRates(mlrunNetwork({ ...base, servers }));
  return serversNeeded(rates.validator / base.serviceRates.validator, u);
}

// c = ⌈a / u⌉ for an offered load a = λ/μ, at least 1.
function serversNeeded(offeredLoad: number, u: number): number {
  return Math.max(1, Math.ceil(offeredLoad / u - SLACK));
}

function issuerBreaksTarget(base: MlrunParameters, servers: MlrunServers, u: number) {
  const issuer = evaluate(base, servers).stations.find((s) => s.name === 'issuer');
  if (!issuer || issuer.utilization <= u + SLACK) return undefined;
  const needed = serversNeeded(issuer.arrivalRate / issuer.serviceRate, u);
  return (
    `The issuer alone breaks the target (ρ = ${formatNumber(issuer.utilization)} > ${u} with ` +
    `${servers.issuers} issuer(s)): set servers.issuers to at least ${needed} or make logins rarer.`
  );
}

// Greedy: each step adds the one server (router, wrapper or validator) that lowers the mean
// latency most; a wrapper also brings the validators its extra L1 misses need. When the
// bound cannot be reached, the utilization-sized servers are kept and the reason says why.
function growForLatency(
  base: MlrunParameters,
  start: MlrunServers,
  goal: Goal,
): { servers: MlrunServers; reason?: string } {
  const initial = evaluate(base, start);
  const floor = latencyFloor(initial);
  if (floor > goal.maxLatency) return { servers: start, reason: floorReason(goal, floor) };
  let servers = start;
  let latency = initial.meanResponseTime;
  while (latency > goal.maxLatency) {
    const next = GROWABLE.map((kind) => grow(base, servers, kind, goal.maxUtilization))
      .map((candidate) => ({ candidate, latency: evaluate(base, candidate).meanResponseTime }))
      .reduce((best, option) => (option.latency < best.latency ? option : best));
    const stalled = !(next.latency < latency * (1 - STALL));
    if (stalled || GROWABLE.some((kind) => next.candidate[kind] > MAX_SERVERS)) {
      return { servers: start, reason: unreachedReason(goal, latency, stalled) };
    }
    servers = next.candidate;
    latency = next.latency;
  }
  return { servers };
}

function grow(base: MlrunParameters, servers: MlrunServers, kind: Growable, u: number) {
  const grown = { ...servers, [kind]: servers[kind] + 1 };
  if (kind !== 'wrappers') return grown;
  return { ...grown, validators: Math.max(grown.validators, validatorsFor(base, grown, u)) };
}

// What no router, wrapper or validator can remove: every visit's service time 1/μ (more
// wrappers only raise p_miss and with it the validator visits), plus the queueing at the
// issuers, whose number is fixed.
function latencyFloor(solution: NetworkSolution): number {
  return solution.stations.reduce(
    (sum, s) => sum + s.visits / s.serviceRate + (s.name === 'issuer' ? s.visits * s.meanWait : 0),
    0,
  );
}

function floorReason(goal: Goal, floor: number): string {
  return (
    `The latency bound ${formatNumber(goal.maxLatency)} s is below ${formatNumber(floor)} s, the ` +
    `service time per request plus issuer queueing, which more routers, wrappers or validators ` +
    `cannot lower: raise the bound, the service rates or servers.issuers.`
  );
}

function unreachedReason(goal: Goal, latency: number, stalled: boolean): string {
  const bound = `the latency bound ${formatNumber(goal.maxLatency)} s`;
  if (!stalled) {
    return `Meeting ${bound} needs more than ${MAX_SERVERS} servers at one station: raise the bound or the service rates.`;
  }
  return (
    `Adding routers, wrappers or validators stops lowering the mean latency at ` +
    `${formatNumber(latency)} s, above ${bound}: raise the bound, the service rates or servers.issuers.`
  );
}

// Drops servers one at a time while the target still holds, so that one fewer of any kind
// breaks it (greedy growth alone can overshoot on a station grown early).
function dropUnneeded(base: MlrunParameters, start: MlrunServers, goal: Goal): MlrunServers {
  let servers = start;
  for (let dropped = true; dropped;) {
    dropped = false;
    for (const kind of GROWABLE) {
      if (servers[kind] <= 1) continue;
      const fewer = { ...servers, [kind]: servers[kind] - 1 };
      if (!meets(evaluate(base, fewer), goal)) continue;
      servers = fewer;
      dropped = true;
    }
  }
  return servers;
}

function conclude(
  base: MlrunParameters,
  servers: MlrunServers,
  goal: Goal,
  reason?: string,
): Recommendation {
  const solution = evaluate(base, servers);
  if (reason) return { servers, solution, met: false, reason };
  if (meets(solution, goal)) return { servers, solution, met: true };
  return {
    servers,
    solution,
    met: false,
    reason:
      'The target is not met by any server count tried: raise the utilization cap or the latency bound.',
  };
}
