/** Server counts of the ML-RUN deployment (DESIGN §7). */
export type MlrunServers = {
  /** N router replicas. */
  readonly routers: number;
  /** K model-wrapper replicas: they run both the token check and predict. */
  readonly wrappers: number;
  /** M token-validator replicas. */
  readonly validators: number;
  /** Auth-issuer replicas. */
  readonly issuers: number;
};

/** Jobs per second that one server of each station completes (1 / mean service time). */
export type MlrunServiceRates = {
  readonly router: number;
  readonly tokenCheck: number;
  readonly validator: number;
  readonly issuer: number;
  readonly predict: number;
};

/**
 * What a client does after a 401 for an aged token (it logs in at the issuer first either
 * way): 'leave' — the request is done, the paper's model; 'retry' — it sends the request
 * again with the new token, as real clients do.
 */
export type StaleRequests = 'leave' | 'retry';

/** Workload and capacity of an ML-RUN deployment, the input of the queueing model. */
export type MlrunParameters = {
  /**
   * λ: external predict requests per second, fresh ones only: a retry after a 401 is not in
   * λ (with staleRequests 'retry' the model adds it, routed from the issuer to the router).
   */
  readonly rate: number;
  /** Distinct token holders sending those requests. */
  readonly clients: number;
  readonly tokenLifetimeSeconds: number;
  /** TTL of the wrapper's L1 introspection cache (the wrapper's MLRUN_L1_TTL). */
  readonly l1TtlSeconds: number;
  readonly servers: MlrunServers;
  readonly serviceRates: MlrunServiceRates;
  /** Overrides the derived token-aging probability (see staleProbability). */
  readonly pStale?: number;
  /** Overrides the derived L1 miss probability (see l1MissProbability). */
  readonly pMiss?: number;
  /** After a 401 and the login: 'leave' (default, the paper's model) or 'retry'. */
  readonly staleRequests?: StaleRequests;
  /**
   * Squared coefficient of variation of predict's service time: 1 (default) exponential,
   * 0 deterministic (a fixed model). Analytic M/G/c by Allen–Cunneen.
   */
  readonly predictServiceScv?: number;
  /**
   * 'shared' (default): the M validators behind one URL, one queue (M/M/M). 'split': behind
   * separate URLs, each client spread uniformly over them: M queues of λ_validator/M each.
   */
  readonly validatorQueues?: 'shared' | 'split';
};

/**
 * Logins per second one auth-issuer serves. A login's service time is dominated by one
 * scrypt with the production cost (N = 32768, r = 8, p = 1, DEFAULT_SCRYPT_PARAMS):
 * node's crypto.scrypt took 88 ms of CPU per hash on the project's 2-core machine when
 * quiet (issue 16; about 200 ms when the machine was loaded), so about 100 ms per login
 * with the HTTP and directory work: 10/s. The calibration measures it on your machine.
 */
export const DEFAULT_ISSUER_RATE = 10;

/**
 * A starting point for the model. The service rates are example figures, not
 * measurements, except the issuer's (scrypt, see DEFAULT_ISSUER_RATE): replace them with
 * what the calibration measures on your hardware, in a capacity parameter file (see
 * parseCapacityParameters). The L1 TTL is the wrapper's default MLRUN_L1_TTL.
 *
 * @example
 * solveMlrun({ ...DEFAULT_MLRUN_PARAMETERS, rate: 1500 });
 */
export const DEFAULT_MLRUN_PARAMETERS: MlrunParameters = Object.freeze({
  rate: 1000,
  clients: 1000,
  tokenLifetimeSeconds: 3600,
  l1TtlSeconds: 60,
  servers: Object.freeze({ routers: 1, wrappers: 1, validators: 1, issuers: 1 }),
  serviceRates: Object.freeze({
    router: 20_000,
    tokenCheck: 50_000,
    validator: 5_000,
    issuer: DEFAULT_ISSUER_RATE,
    predict: 2_000,
  }),
});
