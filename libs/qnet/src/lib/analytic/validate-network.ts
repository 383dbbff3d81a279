import { QnetError, type OpenNetwork, type Station } from '../network';

// Rounding in hand-written routing tables (0.1 + 0.2 + 0.7) must not reject a valid row.
const ROW_SUM_TOLERANCE = 1e-9;

/**
 * Checks that a network is well formed before anything is solved; throws the first
 * problem found as a QnetError whose message says what to fix:
 * INVALID_NETWORK (empty, duplicate or unknown station names, servers not an integer ≥ 1),
 * NEGATIVE_RATE (arrival rate < 0, service rate ≤ 0, NaN or Infinity),
 * INVALID_PROBABILITY (a routing probability outside [0, 1], a row summing above 1).
 *
 * @example
 * validateNetwork({ stations: [{ name: 'a', servers: 1, serviceRate: 2 }], arrivals: { a: 1 }, routing: {} });
 */
export function validateNetwork(net: OpenNetwork): void {
  validateStations(net.stations);
  const names = new Set(net.stations.map((station) => station.name));
  validateArrivals(net.arrivals, names);
  validateRouting(net.routing, names);
}

function validateStations(stations: readonly Station[]): void {
  if (stations.length === 0) {
    throw new QnetError('INVALID_NETWORK', 'The network has no stations: add at least one.');
  }
  const seen = new Set<string>();
  for (const { name, servers, serviceRate, serviceScv, queues } of stations) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new QnetError('INVALID_NETWORK', 'Every station needs a non-empty name.');
    }
    if (seen.has(name)) {
      throw new QnetError('INVALID_NETWORK', `Station "${name}" appears twice: rename one.`, name);
    }
    seen.add(name);
    if (!Number.isInteger(servers) || servers < 1) {
      throw new QnetError(
        'INVALID_NETWORK',
        `Station "${name}" has ${servers} servers: use an integer of at least 1.`,
        name,
      );
    }
    if (!Number.isFinite(serviceRate) || serviceRate <= 0) {
      throw new QnetError(
        'NEGATIVE_RATE',
        `Station "${name}" has service rate ${serviceRate}: use a finite rate above 0 jobs/s.`,
        name,
      );
    }
    validateDiscipline(name, serviceScv, queues);
  }
}

function validateDiscipline(name: string, serviceScv?: number, queues?: string): void {
  if (serviceScv !== undefined && !(Number.isFinite(serviceScv) && serviceScv >= 0)) {
    throw new QnetError(
      'INVALID_NETWORK',
      `Station "${name}" has service-time SCV ${serviceScv}: use a finite number of at least 0 (1 = exponential).`,
      name,
    );
  }
  if (queues !== undefined && queues !== 'shared' && queues !== 'split') {
    throw new QnetError(
      'INVALID_NETWORK',
      `Station "${name}" has queues "${String(queues)}": use 'shared' or 'split'.`,
      name,
    );
  }
}

function validateArrivals(arrivals: OpenNetwork['arrivals'], names: ReadonlySet<string>): void {
  for (const [name, rate] of Object.entries(arrivals)) {
    assertKnown(name, names, 'arrivals');
    if (Number.isFinite(rate) && rate >= 0) continue;
    throw new QnetError(
      'NEGATIVE_RATE',
      `Station "${name}" has external arrival rate ${rate}: use a finite rate of at least 0 jobs/s.`,
      name,
    );
  }
}

function validateRouting(routing: OpenNetwork['routing'], names: ReadonlySet<string>): void {
  for (const [from, row] of Object.entries(routing)) {
    assertKnown(from, names, 'routing');
    let sum = 0;
    for (const [to, probability] of Object.entries(row)) {
      assertKnown(to, names, `routing.${from}`);
      if (!(probability >= 0 && probability <= 1)) {
        throw new QnetError(
          'INVALID_PROBABILITY',
          `Routing "${from}" → "${to}" has probability ${probability}: use a number in [0, 1].`,
          from,
        );
      }
      sum += probability;
    }
    if (sum > 1 + ROW_SUM_TOLERANCE) {
      throw new QnetError(
        'INVALID_PROBABILITY',
        `Routing from "${from}" sums to ${sum}: lower its probabilities so they sum to at most 1.`,
        from,
      );
    }
  }
}

function assertKnown(name: string, names: ReadonlySet<string>, where: string): void {
  if (names.has(name)) return;
  throw new QnetError(
    'INVALID_NETWORK',
    `${where} names station "${name}", which is not in the network: add it to stations or fix the name.`,
    name,
  );
}
