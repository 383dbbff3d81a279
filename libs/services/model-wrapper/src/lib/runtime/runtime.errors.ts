// Failures a runtime reports; the prediction layer maps each code to an HTTP status.
export enum RuntimeErrorCode {
  /** init(ctx) raised, or the worker died during init. */
  InitFailed = 'INIT_FAILED',
  /** init(ctx) outlived initTimeoutSeconds. */
  InitTimeout = 'INIT_TIMEOUT',
  /** predict raised; the worker is still healthy. */
  PredictFailed = 'PREDICT_FAILED',
  /** The worker process died while serving the request. */
  WorkerCrashed = 'WORKER_CRASHED',
  /** No worker is alive to take the request (all restarting). */
  NoWorkerAvailable = 'NO_WORKER_AVAILABLE',
  /** An R model, but Rscript cannot be run on this machine. */
  RUnavailable = 'R_UNAVAILABLE',
  /** This machine's R is older than the manifest's r.minVersion. */
  RVersionTooOld = 'R_VERSION_TOO_OLD',
  /** R lacks a package the manifest names (or jsonlite, which the worker needs). */
  RPackagesMissing = 'R_PACKAGES_MISSING',
}

export class RuntimeError extends Error {
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
    /** The model's own traceback or stack, for logs only. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'RuntimeError';
  }
}
