import type { CapacityReport } from './capacity-report';

export type ChartWritten = { kind: string; file: string };

// JSON has no Infinity: an overloaded station's waits (and the network's response time)
// come out as null, and `overloaded` lists the stations.
/** The same content as the text report, machine-readable: times in s, rates in 1/s. */
export function capacityJson(report: CapacityReport, chart?: ChartWritten): object {
  const { parameters, analysis, recommendation: r, simulation } = report;
  return {
    units: { time: 's', rate: '1/s', utilization: 'fraction' },
    parameters: { ...parameters, pStale: analysis.pStale, pMiss: analysis.pMiss },
    derived: report.derived,
    stations: analysis.stations,
    meanResponseTime: analysis.meanResponseTime,
    bottleneck: analysis.bottleneck,
    maxSustainableRate: analysis.maxExternalRate,
    wrapperUtilization: analysis.wrapperUtilization,
    overloaded: report.overloaded,
    recommendation: {
      target: report.target,
      met: r.met,
      ...(r.reason === undefined ? {} : { reason: r.reason }),
      servers: r.servers,
      maxUtilization: r.maxUtilization,
      meanResponseTime: r.solution.meanResponseTime,
      bottleneck: r.solution.bottleneck,
      stations: r.solution.stations,
    },
    ...(simulation === undefined ? {} : { simulation: simulationJson(simulation) }),
    ...(chart === undefined ? {} : { chart }),
  };
}

function simulationJson(simulation: NonNullable<CapacityReport['simulation']>) {
  if (!simulation.ran) return { ran: false, reason: simulation.reason };
  const { result } = simulation;
  return {
    ran: true,
    seed: simulation.seed,
    durationSeconds: simulation.durationSeconds,
    runs: result.runs,
    requiredRuns: result.requiredRuns,
    converged: result.converged,
    confidence: result.confidence,
    meanResponseTime: result.meanResponseTime,
    stations: result.stations.map(({ name, arrivalRate, utilization, meanSojourn }) => ({
      name,
      arrivalRate,
      utilization,
      meanSojourn,
    })),
  };
}
