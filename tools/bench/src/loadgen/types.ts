// The load generator's public shapes. Helpers (calibrate, report) build on these names:
// keep them stable.

/** A user the generator logs in as (password grant at the issuer). */
export type ClientCredentials = { username: string; password: string };

export type OpenLoopOptions = {
  /** The endpoint every request POSTs to. */
  url: string;
  body: string;
  /** Mean arrival rate over all clients, requests per second (Poisson). */
  rate: number;
  /** The measured window, after the warm-up. */
  seconds: number;
  /** Sent at the same rate before the window, but not counted. Default 0. */
  warmupSeconds?: number;
  /** Seeds the arrival times, the client draws and the stale-token draws. Default 1. */
  seed?: number;
  /** Requests in flight (sent or waiting on a login) above this are dropped and counted. Default 1000. */
  maxInFlight?: number;
  /** A request not answered within this is an error. Default 30 000. */
  timeoutMs?: number;
  /** Length of a batch for batchMeans, seconds of scheduled time. Default 1. */
  batchSeconds?: number;
  /** Each logs in once at start and again only on a 401. None: no Authorization header. */
  clients?: ClientCredentials[];
  /** The auth-issuer's base URL (POST /v1/auth/token); required with clients. */
  issuerUrl?: string;
  /** After a 401 and the login: 'leave' ends the request (unauthorized), 'retry' sends it once more. Default 'leave'. */
  onUnauthorized?: 'leave' | 'retry';
  /** Probability (0..1) that a request carries a well-formed token the platform does not hold. Default 0. */
  staleFraction?: number;
};

/** Latency statistics in milliseconds. */
export type LatencyStats = {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
};

export type OpenLoopCounts = {
  /** Arrivals in the measured window. */
  scheduled: number;
  /** Of those, actually sent (not dropped). */
  sent: number;
  /** Answered with any status (a retried request counts once). */
  completed: number;
  /** Final status of each completed request. */
  byStatus: Record<string, number>;
  /** Requests that ended with a 401 (in 'retry' mode: the retry was refused too). */
  unauthorized: number;
  /** Logins after the initial ones, started in the window (each on a 401). */
  logins: number;
  /** Requests sent a second time after a 401 and a login. */
  retries: number;
  /** Requests that carried an injected stale token. */
  staleSent: number;
  /** Arrivals not sent because maxInFlight requests were in flight. */
  dropped: number;
  /** Network errors, timeouts and failed logins of measured requests. */
  errors: number;
};

/** One second of the run by wall clock; t counts from the start of the warm-up. */
export type SecondCounts = {
  t: number;
  /** False during the warm-up. */
  measured: boolean;
  sent: number;
  ok: number;
  unauthorized: number;
  logins: number;
};

export type OpenLoopResult = {
  counts: OpenLoopCounts;
  /** Requests that ended 2xx, from their scheduled send time to the answer, in ms. */
  latency: LatencyStats;
  /** Mean latency (ms) of the 2xx requests scheduled in each consecutive batch of the window. */
  batchMeans: number[];
  perSecond: SecondCounts[];
  /** Epoch ms when the schedule started (perSecond's t = 0), to line it up with scrapes. */
  startedAt: number;
  /** Wall time from the first arrival (warm-up included) until the last answer, seconds. */
  elapsedSeconds: number;
  /** The measured window's length, seconds (as asked). */
  windowSeconds: number;
  /** Offered rate actually scheduled in the window: scheduled / windowSeconds. */
  offeredRate: number;
  /** How late sends were against their schedule, ms: an overloaded generator shows here. */
  lateness: { p99: number; max: number };
  /** CPU (user + system) the generator's process used during the run, seconds. */
  generatorCpuSeconds: number;
};

export type ClosedLoopOptions = {
  url: string;
  body: string;
  /** Concurrent connections, each sending its next request when its answer arrives. */
  connections: number;
  seconds: number;
  /** One bearer token per connection ('' for none); or clients to log in (cycled over connections). */
  tokens?: string[];
  clients?: ClientCredentials[];
  issuerUrl?: string;
};

export type ClosedLoopResult = {
  requests: number;
  rps: number;
  /** Microseconds (the bench tables print µs). */
  p50: number;
  /** Microseconds. */
  p99: number;
  /** Answers other than 200. */
  failures: number;
};

/** A service whose /metrics the scraper reads. */
export type ScrapeTarget = { name: string; url: string; headers?: Record<string, string> };

/** Samples keyed `name{label="value",...}` (labels sorted), or `name` without labels. */
export type CounterSample = Record<string, number>;

export type MetricSeries = {
  /** Epoch ms of the first scrape. */
  startedAt: number;
  /** Per target, each scrape: seconds since startedAt and the samples read. */
  scrapes: Record<string, { t: number; values: CounterSample }[]>;
  /** Scrapes that failed (non-200 or unreachable), per target. */
  failures: Record<string, number>;
};
