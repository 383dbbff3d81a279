import type { Page } from 'playwright-core';

/** A full page load as the browser measured it (Navigation and Paint Timing), in ms. */
export type LoadTimings = {
  url: string;
  firstPaintMs: number | null;
  firstContentfulPaintMs: number | null;
  responseEndMs: number;
  domContentLoadedMs: number;
  loadEventEndMs: number;
  /** Resources fetched for the page (scripts, styles) and their encoded bytes. */
  resources: number;
  resourceBytes: number;
};

/** The timings of the page's last full load, once its first contentful paint is known. */
export async function loadTimings(page: Page): Promise<LoadTimings> {
  // Paint entries are queued after the frame that painted: wait for them, then for load.
  await page.waitForFunction(
    () =>
      performance.getEntriesByType('paint').some((e) => e.name === 'first-contentful-paint') &&
      document.readyState === 'complete',
    undefined,
    { timeout: 30_000 },
  );
  return page.evaluate(() => {
    const paint = (name: string) =>
      performance.getEntriesByType('paint').find((e) => e.name === name)?.startTime ?? null;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const round = (ms: number | null) => (ms === null ? null : Math.round(ms * 10) / 10);
    return {
      url: location.pathname,
      firstPaintMs: round(paint('first-paint')),
      firstContentfulPaintMs: round(paint('first-contentful-paint')),
      responseEndMs: round(nav.responseEnd) ?? 0,
      domContentLoadedMs: round(nav.domContentLoadedEventEnd) ?? 0,
      loadEventEndMs: round(nav.loadEventEnd) ?? 0,
      resources: resources.length,
      resourceBytes: resources.reduce((sum, r) => sum + r.encodedBodySize, 0),
    };
  });
}
