import { analyzeNetwork, solveNetwork, type NetworkSolution } from '../analytic/solve-network';
import { QnetError, type OpenNetwork } from '../network';
import { type MlrunParameters } from './mlrun-parameters';
import { assertAboveZero, assertAtLeastZero, assertProbability } from './parameter-checks';
import { l1MissProbability, staleProbability } from './token-probabilities';

/** The stations of the ML-RUN network, in the order a request meets them (DESIGN §7). */
export const MLRUN_STATIONS = ['router', 'token-check', 'validator', 'issuer', 'predict'] as const;

export type MlrunStation = (typeof MLRUN_STATIONS)[number];

/** The routing probabilities the network was built with. */
export type MlrunProbabilities = {
  /** Token aged: 401, then a login at the issuer. */
  readonly pStale: number;
  /** Valid token, L1 miss: introspection at the validator. */
  readonly pMiss: number;
};

export type MlrunSolution = NetworkSolution &
  MlrunProbabilities & {
    /**
     * How busy one wrapper replica is: the token check and predict run in the same K
     * processes, so their utilizations add up (the network counts them as two stations).
     */
    readonly wrapperUtilization: number;
  };

/**
 * p_stale and p_miss for these parameters: the overrides when given, else derived by
 * staleProbability and l1MissProbability (the miss rate depends on K, the wrappers).
 *
 * @example
 * mlrunProbabilities({ ...DEFAULT_MLRUN_PARAMETERS, pStale: 0.1 }).pStale; // 0.1
 */
export function mlrunProbabilities(p: MlrunParameters): MlrunProbabilities {
  assertAtLeastZero('rate', p.rate);
  assertAboveZero('clients', p.clients);
  if (p.pStale !== undefined) assertProbability('pStale', p.pStale);
  if (p.pMiss !== undefined) assertProbability('pMiss', p.pMiss);
  assertStaleRequests(p);
  const { rate, clients, tokenLifetimeSeconds, l1TtlSeconds, staleRequests } = p;
  const wrappers = p.servers.wrappers;
  return {
    pStale: p.pStale ?? staleProbability({ rate, clients, tokenLifetimeSeconds, staleRequests }),
    pMiss:
      p.pMiss ??
      l1MissProbability({
        rate,
        clients,
        wrappers,
        l1TtlSeconds,
        tokenLifetimeSeconds,
        staleRequests,
      }),
  };
}

function assertStaleRequests({ staleRequests, pStale }: MlrunParameters): void {
  if (staleRequests !== undefined && staleRequests !== 'leave' && staleRequests !== 'retry') {
    throw new QnetError(
      'INVALID_NETWORK',
      `staleRequests is "${String(staleRequests)}": use 'leave' or 'retry'.`,
    );
  }
  if (staleRequests === 'retry' && pStale === 1) {
    throw new QnetError(
      'INVALID_PROBABILITY',
      "pStale is 1 with staleRequests 'retry': every retry would be stale again and never reach predict; use a pStale below 1.",
    );
  }
}

/**
 * The ML-RUN open network: λ enters the router (N servers), then the token check in the K
 * wrappers. A token the L1 cache does not hold goes to the validator (M servers): with
 * p_miss a valid token, then predict; with p_stale an aged one, which the L1 never holds
 * past its expiry, so the validator answers inactive, the wrapper 401, and the client logs
 * in at the issuer. With staleRequests 'leave' (default) the request then leaves, so
 * predict sees λ·(1 − p_stale); with 'retry' it goes back to the router with the new token
 * (issuer → router), so the router and token check see λ/(1 − p_stale) and predict sees λ.
 * Otherwise the wrapper predicts from its L1. Predict runs in the same K wrappers; then
 * the job leaves. predictServiceScv and validatorQueues become the stations' serviceScv
 * and queues.
 *
 * @example
 * const net = mlrunNetwork(DEFAULT_MLRUN_PARAMETERS);
 * net.routing['token-check']; // { validator: p_stale + (1−p_stale)·p_miss, predict: … }
 */
export function mlrunNetwork(p: MlrunParameters): OpenNetwork {
  return networkWith(p, mlrunProbabilities(p));
}

function networkWith(p: MlrunParameters, { pStale, pMiss }: MlrunProbabilities): OpenNetwork {
  const { servers, serviceRates } = p;
  const toValidator = pStale + (1 - pStale) * pMiss;
  return {
    stations: [
      { name: 'router', servers: servers.routers, serviceRate: serviceRates.router },
      { name: 'token-check', servers: servers.wrappers, serviceRate: serviceRates.tokenCheck },
      {
        name: 'validator',
        servers: servers.validators,
        serviceRate: serviceRates.validator,
        ...(p.validatorQueues === 'split' ? { queues: 'split' as const } : {}),
      },
      { name: 'issuer', servers: servers.issuers, serviceRate: serviceRates.issuer },
      {
        name: 'predict',
        servers: servers.wrappers,
        serviceRate: serviceRates.predict,
        ...(p.predictServiceScv !== undefined ? { serviceScv: p.predictServiceScv } : {}),
      },
    ],
    arrivals: { router: p.rate },
    routing: {
      router: { 'token-check': 1 },
      'token-check': { validator: toValidator, predict: 1 - toValidator },
      // No job reaches the validator when toValidator is 0; any valid row will do then.
      validator:
        toValidator > 0
          ? { issuer: pStale / toValidator, predict: ((1 - pStale) * pMiss) / toValidator }
          : { predict: 1 },
      ...(p.staleRequests === 'retry' ? { issuer: { router: 1 } } : {}),
    },
  };
}

/**
 * Solves the ML-RUN network (throws QnetError('UNSTABLE') if a station is overloaded)
 * and reports the p_stale and p_miss it used. This is the model's prediction to compare
 * with measurements: per station (`stations`, in MLRUN_STATIONS order) the arrival rate
 * λ_i, utilization, mean wait and sojourn, and p99Sojourn where it is exact (exponential
 * service; else null, and end-to-end percentiles always come from `replicate`).
 *
 * @example
 * const { bottleneck, maxExternalRate, pMiss } = solveMlrun(DEFAULT_MLRUN_PARAMETERS);
 */
export function solveMlrun(p: MlrunParameters): MlrunSolution {
  return solvedWith(p, solveNetwork);
}

/**
 * Like {@link solveMlrun} but never throws UNSTABLE: overloaded stations get infinite waits.
 *
 * @example
 * analyzeMlrun({ ...DEFAULT_MLRUN_PARAMETERS, rate: 5000 }).bottleneck; // 'predict'
 */
export function analyzeMlrun(p: MlrunParameters): MlrunSolution {
  return solvedWith(p, analyzeNetwork);
}

// p_miss costs up to 2000 Poisson tails: derived once, for the network and the report.
function solvedWith(
  p: MlrunParameters,
  solve: (net: OpenNetwork) => NetworkSolution,
): MlrunSolution {
  const probabilities = mlrunProbabilities(p);
  const solution = solve(networkWith(p, probabilities));
  return { ...solution, ...probabilities, wrapperUtilization: wrapperUtilization(solution) };
}

/**
 * Utilization of one wrapper replica: its token-check and predict shares together.
 *
 * @example
 * wrapperUtilization(solveNetwork(mlrunNetwork(DEFAULT_MLRUN_PARAMETERS))); // 0.52
 */
export function wrapperUtilization(solution: NetworkSolution): number {
  const of = (name: MlrunStation) =>
    solution.stations.find((station) => station.name === name)?.utilization ?? 0;
  return of('token-check') + of('predict');
}
