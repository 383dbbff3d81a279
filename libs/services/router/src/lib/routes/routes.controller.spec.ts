import { until } from '@ml-run/async/testing';
import type { AliasTarget } from '@ml-run/registry-contract';

import { FakeUpstream, startFakeUpstreams } from '../../testing/fake-upstream';
import {
  aliasOf,
  CALLER,
  deploymentEvent,
  routesOf,
  SERVICE,
  startTestRouter,
  type TestRouter,
} from '../../testing/start-test-router';
import { RoutesController } from './routes.controller';

const V1 = '1.0.0+aaaaaaaaaaaa';
const V2 = '1.1.0+bbbbbbbbbbbb';
const AT = '2026-11-28T12:00:00.000Z';

describe(RoutesController.name, () => {
  let a: FakeUpstream;
  let b: FakeUpstream;
  let sut: TestRouter;
  let url: string;

  beforeEach(async () => {
    [a, b] = await startFakeUpstreams('a', 'b');
    sut = await startTestRouter({ routes: routes({ stable: aliasOf([V1, 100]) }) });
    url = await sut.app.listen();
  });
  afterEach(async () => {
    await sut.app.close();
    await Promise.all([a.kill(), b.kill()]);
  });

  // The builder's route table for iris: both versions unless told otherwise.
  const routes = (aliases: Record<string, AliasTarget>, versions?: Record<string, string[]>) =>
    routesOf({ iris: { versions: versions ?? { [V1]: [a.url], [V2]: [b.url] }, aliases } });
  const inflight = async () =>
    (await fetch(`${url}/v1/routes/inflight`, { headers: SERVICE })).json();
  const predict = (body: string) =>
    fetch(`${url}/v1/models/iris/predict`, { method: 'POST', body, headers: CALLER }).then(
      async (res) => ({
        status: res.status,
        servedBy: ((await res.json()) as { servedBy: string }).servedBy,
      }),
    );

  it('lists every routed version at 0 when idle', async () => {
    expect(await inflight()).toEqual({ [`iris@${V1}`]: 0, [`iris@${V2}`]: 0 });
  });

  it('lets requests in flight finish on a version the alias moved away from', async () => {
    const slow = predict('sleep:300');
    await until(() => a.seen.length === 1);
    const target = aliasOf([V2, 100]);
    await sut.changeRoutes(routes({ stable: target }), {
      type: 'alias.changed',
      name: 'iris',
      alias: 'stable',
      target,
      at: AT,
    });
    expect(await predict('x')).toEqual({ status: 200, servedBy: 'b' });
    expect(await inflight()).toEqual({ [`iris@${V1}`]: 1, [`iris@${V2}`]: 0 });
    expect(await slow).toEqual({ status: 200, servedBy: 'a' });
    expect(await inflight()).toEqual({ [`iris@${V1}`]: 0, [`iris@${V2}`]: 0 });
  });

  it('keeps counting an undeployed version until its last request is answered', async () => {
    const slow = predict('sleep:300');
    await until(() => a.seen.length === 1);
    await sut.changeRoutes(
      routes({ stable: aliasOf([V2, 100]) }, { [V2]: [b.url] }),
      deploymentEvent('deployment.removed', 'iris', V1, []),
    );
    expect(await inflight()).toEqual({ [`iris@${V1}`]: 1, [`iris@${V2}`]: 0 });
    expect(await slow).toEqual({ status: 200, servedBy: 'a' });
    expect(await inflight()).toEqual({ [`iris@${V2}`]: 0 });
  });
});
