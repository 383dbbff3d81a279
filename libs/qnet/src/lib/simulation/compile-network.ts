import { validateNetwork } from '../analytic';
import { OpenNetwork } from '../network';
import { serviceSampler, ServiceTimeDistribution } from './service-time';
import { invalidSimulationOption } from './simulation-errors';
import { StationState } from './station-state';

// Turns the name-keyed network into index-based station states the event loop can use
// without string lookups. Validation is the analytic solver's structural check only:
// stability is not required (an unstable network just builds a queue during the run).
export function compileNetwork(
  net: OpenNetwork,
  serviceTimes: Readonly<Record<string, ServiceTimeDistribution>> = {},
): StationState[] {
  validateNetwork(net);
  const indexByName = new Map(net.stations.map((station, index) => [station.name, index]));
  for (const name of Object.keys(serviceTimes)) {
    if (!indexByName.has(name)) {
      throw invalidSimulationOption(`serviceTimes names unknown station "${name}"`, name);
    }
  }
  return net.stations.map((station) => {
    const row = net.routing?.[station.name] ?? {};
    const targets = Object.entries(row).filter(([, probability]) => probability > 0);
    let cumulative = 0;
    return new StationState(
      station.name,
      station.servers,
      station.serviceRate,
      net.arrivals?.[station.name] ?? 0,
      serviceSampler(station, serviceTimes[station.name]),
      station.queues === 'split' && station.servers > 1,
      Int32Array.from(targets, ([to]) => indexByName.get(to) ?? -1),
      Float64Array.from(targets, ([, probability]) => (cumulative += probability)),
    );
  });
}
