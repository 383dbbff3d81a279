export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Settles like `work`, or rejects with `onTimeout()` after `ms`; `work` itself runs on. */
export function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Exponential delay between attempts: 100, 200, 400 ... capped at maxMs. */
export function retryDelayMs(attempt: number, maxMs = 2000): number {
  return Math.min(100 * 2 ** Math.max(0, attempt - 1), maxMs);
}

export type Signal = { promise: Promise<void>; resolve: () => void };

/** A promise resolved from outside (Node 20 has no Promise.withResolvers). */
export function signal(): Signal {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}
