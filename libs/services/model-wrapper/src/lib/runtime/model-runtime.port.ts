import type { ModelProcessLauncher, SandboxReport } from '@ml-run/sandbox';

// A runtime runs one model's code: init(ctx) once per worker, then predict(input) per call.
// The wrapper's lifecycle and HTTP layer depend on this port only.
export interface ModelRuntime {
  /** Starts the workers and runs init(ctx) in each; rejects with InitFailedError. */
  start(): Promise<void>;
  /** Runs predict on one worker; rejects with a RuntimeError subclass. */
  predict(input: string): Promise<string>;
  /** Stops every worker and waits until each has exited. */
  stop(): Promise<void>;
  /** Live counters for metrics and `GET /v1/model`. */
  stats(): RuntimeStats;
  /** How the model's code is isolated and which limits hold, exactly. */
  sandbox(): SandboxReport;
  /** What runs the model's code when the runtime knows it, e.g. "R 4.2.2". */
  interpreter(): string | undefined;
}

export type RuntimeStats = {
  workers: number;
  busyWorkers: number;
  restarts: number;
  /** Workers the kernel killed past the memory limit (cgroup OOM counter). */
  oomKills: number;
};

export type RuntimeOptions = {
  /** Absolute path of the unpacked bundle. */
  modelDir: string;
  /** Entry module, relative to modelDir (manifest `entry`). */
  entry: string;
  /** Absolute path of the coefficients directory. */
  coefficientsDir: string;
  /** Manifest `env`, handed to init as ctx.config. */
  config: Readonly<Record<string, string>>;
  initTimeoutMs: number;
  /** Worker processes (MLRUN_WORKERS), python or node. */
  workers: number;
  /** MLRUN_MODEL_IGNITE_ENDPOINTS: connect a client for ctx.ignite before init; unset: none. */
  igniteEndpoints?: readonly string[];
  /** The replica's sandbox, through which worker processes are spawned; default none. */
  launcher?: ModelProcessLauncher;
};
