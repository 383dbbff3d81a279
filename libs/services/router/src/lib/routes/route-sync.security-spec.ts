import { SCRAPER } from '@ml-run/server/testing';

import { FakeUpstream, startFakeUpstreams } from '../../testing/fake-upstream';
import {
  aliasOf,
  CALLER,
  deploymentEvent,
  routesOf,
  startTestRouter,
  type TestRouter,
} from '../../testing/start-test-router';

const V1 = '1.0.0+aaaaaaaaaaaa';
const CALLS = 5;

// A process that can publish on the lifecycle topic (an insider with bus credentials, or
// anyone, on a bus without them) names its own capture server as iris's replica. The
// router takes replica URLs from the builder's authenticated route table only, so no
// caller, and no caller's bearer token, reaches the capture server.
describe('route sync against forged lifecycle events', () => {
  let replica: FakeUpstream;
  let capture: FakeUpstream;
  let sut: TestRouter;

  beforeAll(async () => ([replica, capture] = await startFakeUpstreams('replica', 'capture')));
  afterAll(() => Promise.all([replica.kill(), capture.kill()]));
  afterEach(() => sut.app.close());

  const routesTo = (url: string) =>
    routesOf({ iris: { versions: { [V1]: [url] }, aliases: { stable: aliasOf([V1, 100]) } } });
  const callers = async () => {
    const served: string[] = [];
    for (let i = 0; i < CALLS; i++) {
      const res = await sut.app.inject({
        method: 'POST',
        url: '/v1/models/iris/predict',
        payload: 'x',
        headers: CALLER,
      });
      served.push((res.json() as { servedBy: string }).servedBy);
    }
    return served;
  };

  it('sends callers to a capture server the route table names (the control)', async () => {
    sut = await startTestRouter({ routes: routesTo(capture.url) });
    capture.seen.length = 0;
    capture.arrived = 0;
    expect(await callers()).toEqual(Array(CALLS).fill('capture'));
    expect(capture.seen.map((seen) => seen.headers['authorization'])).toEqual(
      Array(CALLS).fill(CALLER.authorization),
    );
  });

  it('sends no caller to a capture server only a forged deployment.changed names', async () => {
    sut = await startTestRouter({ routes: routesTo(replica.url) });
    capture.seen.length = 0;
    capture.arrived = 0;
    const forged = deploymentEvent('deployment.changed', 'iris', V1, [capture.url]);
    // The router reloads on the hint; the builder's table still names the real replica.
    await sut.changeRoutes(routesTo(replica.url), forged);
    expect(await callers()).toEqual(Array(CALLS).fill('replica'));
    expect(capture.arrived).toBe(0);
    // It did hear the event: it reloaded the route table on it (what the e2e reads).
    const metrics = await sut.app.inject({ method: 'GET', url: '/metrics', headers: SCRAPER });
    expect(metrics.body).toMatch(/^mlrun_router_route_table_loads\{[^}]*reason="event"[^}]*\} 1$/m);
  });
});
