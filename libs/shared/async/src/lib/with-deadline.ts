import pTimeout from 'p-timeout';

/**
 * Settles like `work`, or rejects with `onTimeout()`'s error once `ms` have passed; the
 * timer is cleared either way. `work` itself is not cancelled: it runs on, its outcome
 * ignored (pass it a signal of its own when it can stop).
 */
export function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  // fallback rather than message: the error is built (and a side effect like dropping a
  // connection run) only when the deadline passes.
  return pTimeout(work, {
    // p-timeout refuses 0 and below; a timer of 0 fires after 1 ms anyway.
    milliseconds: ms > 1 ? ms : 1,
    fallback: () => Promise.reject(onTimeout()),
  });
}
