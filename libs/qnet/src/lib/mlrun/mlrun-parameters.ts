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

/** Workload and capacity of an ML-RUN deployment, the input of the queueing model. */
export type MlrunParameters = {
  /** λ: external predict requests per second (retries after a 401 included). */
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
};

/**
 * A starting point for the model. The service rates are example figures, not
 * measurements: replace them with what `tools/bench` measures on your hardware, in a
 * capacity parameter file (see parseCapacityParameters). The L1 TTL is the wrapper's
 * default MLRUN_L1_TTL.
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
    issuer: 500,
    predict: 2_000,
  }),
});
