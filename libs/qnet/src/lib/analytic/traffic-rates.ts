import { QnetError, type OpenNetwork } from '../network';
import { solveLinearSystem } from './linear-system';
import { validateNetwork } from './validate-network';

// An exit probability this small is rounding in the routing table, not a way out.
const EXIT_TOLERANCE = 1e-9;

/**
 * Total arrival rate into each station (jobs/s), from the traffic equations of an open
 * Jackson network: λ = γ + λ·P, i.e. (I − Pᵀ)·λ = γ, with γ the external arrivals.
 * Validates the network first (see {@link validateNetwork}); a set of stations that jobs
 * can enter but never leave makes I − Pᵀ singular and throws QnetError('ILL_POSED').
 *
 * @example
 * // One station, half the jobs come back: λ = γ / (1 − p) = 2.
 * trafficRates({
 *   stations: [{ name: 'a', servers: 1, serviceRate: 10 }],
 *   arrivals: { a: 1 },
 *   routing: { a: { a: 0.5 } },
 * }); // { a: 2 }
 */
export function trafficRates(net: OpenNetwork): Record<string, number> {
  validateNetwork(net);
  assertEveryStationCanExit(net);
  const names = net.stations.map((station) => station.name);
  const index = new Map(names.map((name, i) => [name, i]));
  // Row i is station i's flow balance: λ_i − Σ_j P[j][i]·λ_j = γ_i.
  const matrix = names.map((_, i) => names.map((__, j) => (i === j ? 1 : 0)));
  for (const [from, row] of Object.entries(net.routing)) {
    for (const [to, probability] of Object.entries(row)) {
      matrix[index.get(to) as number][index.get(from) as number] -= probability;
    }
  }
  const external = names.map((name) => net.arrivals[name] ?? 0);
  const rates = solveLinearSystem(matrix, external);
  if (!rates || rates.some((rate) => !Number.isFinite(rate))) {
    throw new QnetError(
      'ILL_POSED',
      'The traffic equations have no unique solution: give every routing loop an exit probability.',
    );
  }
  // Elimination can leave −1e-17 where the exact rate is 0.
  return Object.fromEntries(names.map((name, i) => [name, Math.max(0, rates[i])]));
}

// A station can exit when part of its routing row leaks out of the network, or when it
// routes to a station that can; the rest are trapped in a closed loop.
function assertEveryStationCanExit(net: OpenNetwork): void {
  const canExit = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const { name } of net.stations) {
      if (canExit.has(name) || !reachesExit(net.routing[name] ?? {}, canExit)) continue;
      canExit.add(name);
      grew = true;
    }
  }
  const trapped = net.stations.map((s) => s.name).filter((name) => !canExit.has(name));
  if (trapped.length === 0) return;
  throw new QnetError(
    'ILL_POSED',
    `Stations ${trapped.map((name) => `"${name}"`).join(', ')} form a closed loop that jobs ` +
      'never leave: give one of them an exit (a routing row summing below 1).',
    trapped[0],
  );
}

function reachesExit(row: Readonly<Record<string, number>>, canExit: ReadonlySet<string>): boolean {
  const entries = Object.entries(row);
  const leak = 1 - entries.reduce((sum, [, probability]) => sum + probability, 0);
  return leak > EXIT_TOLERANCE || entries.some(([to, p]) => p > 0 && canExit.has(to));
}
