import {
  runOpenLoop,
  scrapeEverySecond,
  type MetricSeries,
  type OpenLoopOptions,
  type OpenLoopResult,
} from '../loadgen';

import type { ExperimentStack } from './stack';

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
