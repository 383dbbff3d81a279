import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { increaseOver, ratePerSecond, scrapeCounters, scrapeEverySecond } from './index';

// A service whose counter grows by 10 at each scrape and which wants the scrape credential.
async function countingService(): Promise<{ url: string; server: Server }> {
  let count = 0;
  const server = createServer((request, response) => {
    if (request.headers.authorization !== 'Bearer scrape') {
      response.writeHead(401);
      return response.end('no');
    }
    count += 10;
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end(
      `# TYPE mlrun_predictions_total counter\nmlrun_predictions_total{status="200"} ${count}\nmlrun_predictions_total{status="401"} 1\n`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let server: Server | undefined;
afterEach(() => server?.close());

describe('scrapeCounters', () => {
  it('reads the samples with the credential and refuses to read a refusal as zeros', async () => {
    const service = await countingService();
    server = service.server;
    const target = {
      name: 'wrapper',
      url: service.url,
      headers: { authorization: 'Bearer scrape' },
    };
    const samples = await scrapeCounters(target);
    expect(samples['mlrun_predictions_total{status="200"}']).toBe(10);
    await expect(scrapeCounters({ ...target, headers: {} })).rejects.toThrow(/answered 401/);
  });
});

describe('scrapeEverySecond', () => {
  it('polls each target until stop, giving increases and rates between scrapes', async () => {
    const service = await countingService();
    server = service.server;
    const good = { name: 'wrapper', url: service.url, headers: { authorization: 'Bearer scrape' } };
    const refused = { name: 'refused', url: service.url };
    const scraper = scrapeEverySecond([good, refused], 100);
    await new Promise((resolve) => setTimeout(resolve, 450));
    const series = await scraper.stop();
    const scrapes = series.scrapes['wrapper'] ?? [];
    expect(scrapes.length).toBeGreaterThanOrEqual(2);
    // Every tick tried both: the refused target's failures are counted, not read as zeros.
    expect(series.scrapes['refused']).toEqual([]);
    expect(series.failures['refused']).toBe(scrapes.length);
    const rates = ratePerSecond(series, 'wrapper', 'mlrun_predictions_total');
    expect(rates).toHaveLength(scrapes.length - 1);
    for (const [i, rate] of rates.entries()) {
      const dt = (scrapes[i + 1]?.t ?? 0) - (scrapes[i]?.t ?? 0);
      expect(rate.perSecond * dt).toBeCloseTo(10);
    }
    // The 401 series does not move; the 200 one grows by 10 per scrape.
    const total = increaseOver(series, 'wrapper', 'mlrun_predictions_total');
    expect(total).toBe(10 * (scrapes.length - 1));
    expect(increaseOver(series, 'wrapper', 'mlrun_predictions_total{status="401"}')).toBe(0);
  });
});
