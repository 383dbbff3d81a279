import { setTimeout as sleep } from 'node:timers/promises';

import { runClosedLoad, type LoadTarget } from '../hot-path/closed-load';

/** One round on the same model: sync req/s, async accepted/s, and async settled/s. */
export type AsyncRound = {
  syncRps: number;
  acceptedPerSecond: number;
  settledPerSecond: number;
  accepted: number;
  /** Seconds from the first acceptance to the last settle. */
  drainSeconds: number;
  non2xx: number;
};

export type RouterUnderTest = { url: string; scrape: Record<string, string>; tokens: string[] };

const SETTLED = /^mlrun_router_async_outcomes_total\{[^}]*result="settled"[^}]*\} (\d+)/gm;

/** Predictions the router has settled so far (every model). */
export async function settledSoFar(router: RouterUnderTest): Promise<number> {
  const response = await fetch(`${router.url}/metrics`, { headers: router.scrape });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
  let total = 0;
  for (const match of text.matchAll(SETTLED)) total += Number(match[1]);
  return total;
}

/** Waits until `count` settles have been counted (the dispatcher has drained the bus). */
export async function drainedTo(router: RouterUnderTest, count: number): Promise<void> {
  while ((await settledSoFar(router)) < count) await sleep(50);
}

function targets(router: RouterUnderTest) {
  const base = { body: 'hello', contentType: 'text/plain', tokens: router.tokens };
  const sync: LoadTarget = { ...base, url: `${router.url}/v1/models/echo/predict` };
  const accept: LoadTarget = { ...base, url: `${router.url}/v1/models/echo/predict:async` };
  return { sync, accept };
}

/**
 * The synchronous path for `seconds` at `connections`, then the asynchronous one: accepted/s
 * is the 202s per second of its window; settled/s is how many of them were settled per
 * second from the window's start until the last one was (the bus drains after the window).
 * Each path is warmed up first, and the bus drained of the warm-up, before it is measured.
 */
export async function measureRound(
  router: RouterUnderTest,
  connections: number,
  seconds: number,
  warmupSeconds: number,
): Promise<AsyncRound> {
  const { sync, accept } = targets(router);
  if (warmupSeconds > 0) await runClosedLoad(sync, connections, warmupSeconds);
  const syncLoad = await runClosedLoad(sync, connections, seconds);
  if (warmupSeconds > 0) {
    const settledBefore = await settledSoFar(router);
    const warm = await runClosedLoad(accept, connections, warmupSeconds);
    await drainedTo(router, settledBefore + (warm.byStatus['202'] ?? 0));
  }
  const before = await settledSoFar(router);
  const started = performance.now();
  const acceptLoad = await runClosedLoad(accept, connections, seconds);
  const accepted = acceptLoad.byStatus['202'] ?? 0;
  await drainedTo(router, before + accepted);
  const drainSeconds = (performance.now() - started) / 1000;
  return {
    syncRps: syncLoad.rps,
    acceptedPerSecond: acceptLoad.rps,
    settledPerSecond: accepted / drainSeconds,
    accepted,
    drainSeconds,
    non2xx: syncLoad.non2xx + acceptLoad.non2xx + syncLoad.errors + acceptLoad.errors,
  };
}
