// The calibration's arithmetic, apart from the measuring: from counter snapshots to
// service times, and from service times to the capacity parameter file.
import { DEFAULT_MLRUN_PARAMETERS, type MlrunServiceRates } from '@ml-run/qnet';

/** The model's stations, as the parameter file's measured.stations names them. */
export type CalibratedStation = 'router' | 'token-check' | 'validator' | 'issuer' | 'predict';

/** What one process (or process tree) had done at one moment. */
export type WorkSnapshot = { cpuSeconds: number; completions: number };

/** One station's figures, and the service time its rate is taken from. */
export type StationFigures = {
  /** CPU seconds per completed visit (a difference of two workloads where stated). */
  cpuSecondsPerCompletion: number;
  /** Mean latency of one visit at light load (a difference of two paths where stated). */
  lightLoadLatencySeconds: number;
  /** Visits the CPU figure was measured over. */
  completions: number;
  /** The service time the rate is 1/ of. */
  serviceSeconds: number;
  /** Which figure gave serviceSeconds: CPU per completion, or worker-busy time (predict). */
  basis: 'cpu' | 'worker-busy';
};

/**
 * A difference below this (noise can make "with the work" minus "without" negative) is
 * reported as this: the station is then cheaper than the method can resolve.
 */
export const RESOLUTION_SECONDS = 1e-6;

/** CPU seconds per completion between two snapshots; throws when nothing completed. */
export function cpuPerCompletion(before: WorkSnapshot, after: WorkSnapshot): WorkSnapshot {
  const completions = after.completions - before.completions;
  if (!(completions > 0))
    throw new Error(
      `no completions between the snapshots (${before.completions} → ${after.completions}): the station was not driven`,
    );
  return { cpuSeconds: (after.cpuSeconds - before.cpuSeconds) / completions, completions };
}

/** What a piece of work adds: the measure with it minus the measure without, floored. */
export function addedBy(withWork: number, without: number): number {
  return Math.max(RESOLUTION_SECONDS, withWork - without);
}

/** Figures of a CPU-bound station: its service time is its CPU per completion. */
export function stationFigures(cpu: WorkSnapshot, lightLoadLatencySeconds: number): StationFigures {
  const cpuSecondsPerCompletion = Math.max(RESOLUTION_SECONDS, cpu.cpuSeconds);
  return {
    cpuSecondsPerCompletion,
    lightLoadLatencySeconds: Math.max(RESOLUTION_SECONDS, lightLoadLatencySeconds),
    completions: cpu.completions,
    serviceSeconds: cpuSecondsPerCompletion,
    basis: 'cpu',
  };
}

/** The light-load figures of predict, direct to one wrapper with auth off. */
export type PredictTimings = {
  /** Mean latency with the model's own work (the default body). */
  modelLatencySeconds: number;
  /** Mean latency when the model does nothing (a zero sleep). */
  emptyLatencySeconds: number;
  /** The wrapper tree's CPU per prediction (wrapper + worker), empty predictions. */
  treeCpu: WorkSnapshot;
  /** The wrapper process's own CPU per prediction, empty predictions. */
  wrapperCpuSeconds: number;
};

/**
 * Predict's service time is how long the one worker of a replica is busy per request: the
 * model's own time (with work minus without) plus the worker's CPU for an empty call. The
 * rest of a visit (HTTP in and out, the wrapper's handling, the pipe to the worker) is not
 * queued behind the worker: pathOverheadSeconds, a constant the validation adds to the
 * model's latency. The model's work may be sleep, not CPU, so latency, not CPU, measures it.
 */
export function predictFigures(t: PredictTimings): {
  predict: StationFigures;
  pathOverheadSeconds: number;
} {
  const workerCpu = Math.max(0, t.treeCpu.cpuSeconds - t.wrapperCpuSeconds);
  const busy = addedBy(t.modelLatencySeconds, t.emptyLatencySeconds) + workerCpu;
  return {
    predict: {
      cpuSecondsPerCompletion: Math.max(RESOLUTION_SECONDS, t.treeCpu.cpuSeconds),
      lightLoadLatencySeconds: t.modelLatencySeconds,
      completions: t.treeCpu.completions,
      serviceSeconds: busy,
      basis: 'worker-busy',
    },
    pathOverheadSeconds: Math.max(0, t.emptyLatencySeconds - workerCpu),
  };
}

/** μ per station: one over its service time. */
export function serviceRatesOf(
  stations: Readonly<Record<CalibratedStation, StationFigures>>,
): MlrunServiceRates {
  const rate = (name: CalibratedStation) => 1 / stations[name].serviceSeconds;
  return {
    router: rate('router'),
    tokenCheck: rate('token-check'),
    validator: rate('validator'),
    issuer: rate('issuer'),
    predict: rate('predict'),
  };
}

/** Where and how a calibration ran. */
export type CalibrationContext = {
  at: string;
  machine: string;
  method: string;
  source: string;
};

/**
 * The capacity parameter file: the default workload and servers (the file describes a
 * deployment to size; edit those), the measured service rates, and the measured block.
 */
export function capacityDocument(
  stations: Readonly<Record<CalibratedStation, StationFigures>>,
  context: CalibrationContext,
) {
  const { rate, clients, tokenLifetimeSeconds, l1TtlSeconds, servers } = DEFAULT_MLRUN_PARAMETERS;
  return {
    rate,
    clients,
    tokenLifetimeSeconds,
    l1TtlSeconds,
    servers: { ...servers },
    serviceRates: serviceRatesOf(stations),
    measured: {
      source: context.source,
      at: context.at,
      machine: context.machine,
      method: context.method,
      stations: Object.fromEntries(
        Object.entries(stations).map(([name, figures]) => [
          name,
          {
            cpuSecondsPerCompletion: figures.cpuSecondsPerCompletion,
            lightLoadLatencySeconds: figures.lightLoadLatencySeconds,
            completions: figures.completions,
          },
        ]),
      ),
    },
  };
}
