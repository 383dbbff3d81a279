/** A promise and the function that resolves it from outside. */
export type Deferred<T = void> = { promise: Promise<T>; resolve: (value: T) => void };

/** Promise.withResolvers without its rejecter: Node 20 does not have it. */
export function deferred<T = void>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}
