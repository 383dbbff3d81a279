import { QnetError } from '../network';

/**
 * Erlang B: probability that an arrival finds all `servers` busy in M/M/c/c (loss system)
 * with offered load a = λ/μ, by the recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)).
 * The recursion keeps every step in [0, 1], so it is stable for thousands of servers where
 * the factorial form a^c/c! overflows.
 *
 * @example
 * erlangB(1, 1); // 0.5
 */
export function erlangB(servers: number, offeredLoad: number): number {
  assertServers(servers);
  assertLoad(offeredLoad);
  let blocking = 1;
  for (let k = 1; k <= servers; k++) {
    blocking = (offeredLoad * blocking) / (k + offeredLoad * blocking);
  }
  return blocking;
}

/**
 * Erlang C: probability that an arrival waits in M/M/c with offered load a = λ/μ
 * (c servers, ρ = a/c). From Erlang B: C = c·B / (c − a·(1 − B)). For a ≥ c the queue
 * grows without bound and every arrival waits, so the result is 1.
 *
 * @example
 * erlangC(2, 1); // 1/3
 * erlangC(1, 0.5); // 0.5 (M/M/1: P(wait) = ρ)
 */
export function erlangC(servers: number, offeredLoad: number): number {
  const blocking = erlangB(servers, offeredLoad);
  if (offeredLoad >= servers) return 1;
  return (servers * blocking) / (servers - offeredLoad * (1 - blocking));
}

function assertServers(servers: number): void {
  if (Number.isInteger(servers) && servers >= 1) return;
  throw new QnetError(
    'INVALID_NETWORK',
    `The number of servers must be an integer of at least 1 (got ${servers}).`,
  );
}

function assertLoad(offeredLoad: number): void {
  if (Number.isFinite(offeredLoad) && offeredLoad >= 0) return;
  throw new QnetError(
    'NEGATIVE_RATE',
    `The offered load λ/μ must be a finite number of at least 0 (got ${offeredLoad}).`,
  );
}
