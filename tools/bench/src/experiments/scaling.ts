// "What 10,000 req/s means here": the servers each station would need for a target rate,
// scaled from the service rates measured on this machine, against what 2 cores ran.
import {
  analyzeMlrun,
  mlrunNetwork,
  trafficRates,
  type MlrunParameters,
  type MlrunServiceRates,
} from '@ml-run/qnet';

export type ScaledStation = {
  station: string;
  /** Jobs per second arriving at the station at the target rate (traffic equations). */
  arrivalRate: number;
  /** μ: one server's completions per second, as calibrated here. */
  serviceRate: number;
  /** λ_s / (ρ*·μ_s), rounded up: the rule, one server = one single-threaded process. */
  servers: number;
};

export type Scaling = {
  targetRate: number;
  targetUtilization: number;
  pStale: number;
  pMiss: number;
  stations: ScaledStation[];
  /** Wrapper replicas: token check and predict share them, so their loads add. */
  wrappers: number;
  /** Σ servers, counting the wrappers once: about the cores needed at ρ*. */
  totalServers: number;
  /** The largest λ the calibrated deployment (its own server counts) sustains, per the model. */
  modelMaxRateHere: number;
};

const RATE_KEY: Record<string, keyof MlrunServiceRates> = {
  router: 'router',
  'token-check': 'tokenCheck',
  validator: 'validator',
  issuer: 'issuer',
  predict: 'predict',
};

/**
 * Scales the calibrated deployment to `targetRate`: arrival rates per station from the
 * traffic equations at that rate (p_stale and p_miss from the parameters' clients and
 * lifetimes), then c_s = ⌈λ_s / (ρ*·μ_s)⌉ servers per station, wrappers from the sum of
 * their two loads.
 *
 * @example
 * scaleTo(calibrated, { rate: 10_000, utilization: 0.7 }).totalServers;
 */
export function scaleTo(
  calibrated: MlrunParameters,
  target: { rate: number; utilization: number },
): Scaling {
  const scaled: MlrunParameters = { ...calibrated, rate: target.rate };
  const solution = analyzeMlrun(scaled);
  const rates = trafficRates(mlrunNetwork(scaled));
  const needed = (load: number) => Math.max(1, Math.ceil(load / target.utilization - 1e-9));
  const stations = Object.entries(RATE_KEY).map(([station, key]) => {
    const serviceRate = calibrated.serviceRates[key];
    const arrivalRate = rates[station] ?? 0;
    return { station, arrivalRate, serviceRate, servers: needed(arrivalRate / serviceRate) };
  });
  const load = (name: string) => {
    const s = stations.find((x) => x.station === name);
    return s ? s.arrivalRate / s.serviceRate : 0;
  };
  const wrappers = needed(load('token-check') + load('predict'));
  const others = stations.filter((s) => s.station !== 'token-check' && s.station !== 'predict');
  return {
    targetRate: target.rate,
    targetUtilization: target.utilization,
    pStale: solution.pStale,
    pMiss: solution.pMiss,
    stations,
    wrappers,
    totalServers: wrappers + others.reduce((sum, s) => sum + s.servers, 0),
    modelMaxRateHere: analyzeMlrun(calibrated).maxExternalRate,
  };
}
