import { runOpenLoop, type ClientCredentials, type OpenLoopResult } from '../loadgen';
import type { OpenLoopSummary } from './goals';
import type { RunningCase } from './services';

export type OpenLoopCheck = OpenLoopSummary & { result?: OpenLoopResult };

/**
 * The latency a user sees through the router at half the rate the closed loop reached:
 * Poisson arrivals at `rate` (loadgen's open loop, latency from the scheduled send time),
 * the clients logged in as users would be. Not every answer 2xx fails the check.
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
  const notOk =
    counts.completed -
    Object.entries(counts.byStatus)
      .filter(([status]) => status.startsWith('2'))
      .reduce((sum, [, n]) => sum + n, 0);
  const failed = notOk + counts.errors + counts.dropped;
  return {
    rate: settings.rate,
    p99Ms: result.latency.p99,
    ok: failed === 0 && counts.completed > 0,
    ...(failed > 0
      ? {
          note: `${notOk} answers not 2xx (${JSON.stringify(counts.byStatus)}), ${counts.errors} errors, ${counts.dropped} dropped`,
        }
      : {}),
    result,
  };
}
