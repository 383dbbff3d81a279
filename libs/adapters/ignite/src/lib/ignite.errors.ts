import IgniteClient from 'apache-ignite-client';

export enum IgniteErrorCode {
  /** No connection answers: Ignite is down, unreachable, or too slow. Retry later (503). */
  Unavailable = 'IGNITE_UNAVAILABLE',
  /** Ignite answered with an error (say, an unknown cache): a bug or a misconfiguration. */
  OperationFailed = 'IGNITE_OPERATION_FAILED',
}

export class IgniteError extends Error {
  constructor(
    readonly code: IgniteErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'IgniteError';
  }
}

/** Ignite cannot be reached right now; operations fail fast with this instead of hanging. */
export class IgniteUnavailableError extends IgniteError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(IgniteErrorCode.Unavailable, message, options);
    this.name = 'IgniteUnavailableError';
  }
}

const { Errors } = IgniteClient;

// Server answers that mean "not now" rather than "wrong": a node starting or stopping.
const TRANSIENT = /cluster is inactive|node is stopping/i;

/** The client's errors as ours: connection trouble is "unavailable", the rest a failure. */
export function toIgniteError(error: unknown, endpoints: readonly string[]): IgniteError {
  if (error instanceof IgniteError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Errors.OperationError && TRANSIENT.test(message)) {
    return new IgniteUnavailableError(`Ignite is not ready: ${message}`, { cause: error });
  }
  if (error instanceof Errors.LostConnectionError || error instanceof Errors.IllegalStateError) {
    return new IgniteUnavailableError(
      `lost the connection to Ignite (${endpoints.join(', ')}): ${message}`,
      { cause: error },
    );
  }
  return new IgniteError(IgniteErrorCode.OperationFailed, `Ignite operation failed: ${message}`, {
    cause: error,
  });
}
