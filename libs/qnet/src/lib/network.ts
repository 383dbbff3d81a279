/**
 * An open (Jackson) queueing network: stations of identical servers, Poisson arrivals
 * from outside, and Markov routing between stations. Rates are per second.
 *
 * @example
 * const tandem: OpenNetwork = {
 *   stations: [
 *     { name: 'a', servers: 1, serviceRate: 10 },
 *     { name: 'b', servers: 2, serviceRate: 4 },
 *   ],
 *   arrivals: { a: 5 },
 *   routing: { a: { b: 1 } }, // a job leaving b exits (no row, or a row summing below 1)
 * };
 */
export type OpenNetwork = {
  readonly stations: readonly Station[];
  /** External (Poisson) arrival rate into each station, by station name; missing = 0. */
  readonly arrivals: Readonly<Record<string, number>>;
  /**
   * routing[from][to]: probability that a job finishing service at `from` goes next to
   * `to`. Each row sums to at most 1; the remainder is the probability of leaving the
   * network. Missing rows and entries are 0.
   */
  readonly routing: Readonly<Record<string, Readonly<Record<string, number>>>>;
};

/**
 * A station: `servers` identical servers (c), each with rate μ, sharing one FIFO queue
 * (or, with `queues: 'split'`, each with its own).
 */
export type Station = {
  readonly name: string;
  /** c ≥ 1, an integer. */
  readonly servers: number;
  /** μ > 0: jobs per second one server completes (1 / mean service time). */
  readonly serviceRate: number;
  /**
   * Squared coefficient of variation of the service time, c_s² = Var/mean² (default 1,
   * exponential; 0 is deterministic). Other than 1 the analytic wait is M/G/c by the
   * Allen–Cunneen approximation (exact Pollaczek–Khinchine for one server per queue), and
   * the simulator draws deterministic (0) or gamma service times.
   */
  readonly serviceScv?: number;
  /**
   * 'shared' (default): one FIFO queue in front of all c servers (M/M/c). 'split': c
   * separate single-server queues, an arrival joins one uniformly at random (c × M/M/1 at
   * λ/c each), as c replicas behind separate URLs.
   */
  readonly queues?: 'shared' | 'split';
};

/** Why a network cannot be solved; `code` is machine-readable, `message` says what to fix. */
export type QnetErrorCode =
  | 'INVALID_NETWORK' // unknown station names, duplicate names, non-integer servers, ...
  | 'NEGATIVE_RATE' // an arrival or service rate below zero (or a service rate of 0)
  | 'INVALID_PROBABILITY' // a routing probability outside [0, 1] or a row summing above 1
  | 'ILL_POSED' // the traffic equations have no unique solution (a closed loop jobs never leave)
  | 'UNSTABLE' // some station has ρ ≥ 1
  | 'INVALID_OPTIONS'; // a bad simulation option (duration, warmup, seed, samples, runs)

export class QnetError extends Error {
  constructor(
    readonly code: QnetErrorCode,
    message: string,
    /** The station the error is about, when there is one. */
    readonly station?: string,
  ) {
    super(message);
    this.name = 'QnetError';
  }
}
