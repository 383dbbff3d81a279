import { runOpenLoop, type ClientCredentials, type OpenLoopResult } from '../loadgen';
import type { OpenLoopSummary } from './goals';
import type { RunningCase } from './services';

export type OpenLoopCheck = OpenLoopSummary & { result?: OpenLoopResult };

/**
 * The latency a user sees through the router at half the rate the closed loop reached:
 * Poisson arrivals at `rate` (loadgen's open loop, latency from the scheduled send time),
 * the clients logged in as users would be. An answer not 2xx fails the check.
 */
export async function checkOpenLoop(
  running: RunningCase,
  settings: {
    rate: number;
    seconds: number;
    warmupSeconds: number;
    clients: ClientCredentials[];
    issuerUrl: string;
  },
): Promise<OpenLoopCheck> {
  const result = await runOpenLoop({
    url: running.target.url,
    body: running.target.body,
    rate: settings.rate,
    seconds: settings.seconds,
    warmupSeconds: settings.warmupSeconds,
    clients: settings.clients,
    issuerUrl: settings.issuerUrl,
  });
  const { counts } = result;
  const { answeredOk, notOk, problems } = judge(counts);
  return {
    rate: settings.rate,
    p99Ms: result.latency.p99,
    ok: notOk + counts.errors === 0 && answeredOk > 0,
    dropped: counts.dropped,
    ...(problems.length > 0 ? { note: problems.join('; ') } : {}),
    result,
  };
}

function judge(counts: OpenLoopResult['counts']) {
  const answeredOk = Object.entries(counts.byStatus)
    .filter(([status]) => status.startsWith('2'))
    .reduce((sum, [, n]) => sum + n, 0);
  const notOk = counts.completed - answeredOk;
  // Answers not 2xx or errors fail the check; requests dropped because too many were in
  // flight are the service not keeping up at that rate: measured, and the goal not met.
  const problems = [
    ...(notOk + counts.errors > 0
      ? [`${notOk} answers not 2xx (${JSON.stringify(counts.byStatus)}), ${counts.errors} errors`]
      : []),
    ...(counts.dropped > 0
      ? [`${counts.dropped} dropped (too many in flight): the router did not keep up`]
      : []),
  ];
  return { answeredOk, notOk, problems };
}
