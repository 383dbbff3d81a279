import {
  runOpenLoop,
  scrapeEverySecond,
  type MetricSeries,
  type OpenLoopOptions,
  type OpenLoopResult,
} from '../loadgen';
import type { ExperimentStack } from './stack';

/** The run of one experiment point: the stack's clients log in, and a 401 leaves. */
export type PointLoad = {
  body: string;
  rate: number;
  seconds: number;
  warmupSeconds: number;
  seed: number;
  staleFraction?: number;
};

/** Loads the stack's router as the paper's model has it (onUnauthorized 'leave'). */
export function loadPoint(
  stack: Pick<ExperimentStack, 'scrapeTargets' | 'predictUrl' | 'clients' | 'issuerUrl'>,
  load: PointLoad,
): Promise<{ result: OpenLoopResult; series: MetricSeries }> {
  const { body, rate, seconds, warmupSeconds, seed, staleFraction } = load;
  return loadWhileScraping(stack, {
    body,
    rate,
    seconds,
    warmupSeconds,
    seed,
    staleFraction: staleFraction ?? 0,
    url: stack.predictUrl,
    clients: stack.clients,
    issuerUrl: stack.issuerUrl,
    onUnauthorized: 'leave',
  });
}

/** The scrape-target names of the stack's K wrappers. */
export function wrapperTargets(stack: Pick<ExperimentStack, 'scrapeTargets'>): string[] {
  return stack.scrapeTargets.map((t) => t.name).filter((name) => name.startsWith('wrapper-'));
}

/**
 * One open-loop run with every service of the stack scraped once a second alongside, so
 * the series' t = 0 is the load's start (the warm-up included).
 */
export async function loadWhileScraping(
  stack: Pick<ExperimentStack, 'scrapeTargets'>,
  options: OpenLoopOptions,
): Promise<{ result: OpenLoopResult; series: MetricSeries }> {
  const scraper = scrapeEverySecond(stack.scrapeTargets);
  try {
    const result = await runOpenLoop(options);
    return { result, series: await scraper.stop() };
  } catch (error) {
    await scraper.stop();
    throw error;
  }
}
