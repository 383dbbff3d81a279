import { MemoryPredictionBus } from '@ml-run/async-predictions';
import type { PredictionView } from '@ml-run/prediction-contract';

import { FakeUpstream } from '../../testing/fake-upstream';
import {
  aliasOf,
  routesOf,
  startTestRouter,
  type TestRouter,
} from '../../testing/start-test-router';

// Embedded mode: the router runs what it queued on the model's replicas, presenting the
// platform credential the host gives for that model, never the caller's token.
describe('LocalReplicaDispatch', () => {
  let sut: TestRouter;
  let replica: FakeUpstream;
  const credentials: string[] = [];

  beforeAll(async () => {
    replica = new FakeUpstream('r1');
    await replica.start();
    replica.handler = (request) =>
      request.body === 'fail'
        ? { status: 422, body: '{"code":"MODEL_ERROR","message":"bad input"}' }
        : { status: 200, body: `out:${request.body}` };
    const bus = new MemoryPredictionBus();
    sut = await startTestRouter({
      routes: routesOf({
        iris: {
          versions: { '1.0.0': [replica.url] },
          aliases: { stable: aliasOf(['1.0.0', 100]) },
        },
      }),
      async: true,
      asyncBus: bus,
      localReplicas: {
        deliveries: bus,
        credentialFor: (model) => {
          credentials.push(model);
          return Promise.resolve(`platform-token-for-${model}`);
        },
      },
    });
    sut.async?.validator.grant('ada-token', 'predict:iris', 3600, 'ada');
  });
  afterAll(async () => {
    await sut.app.close();
    await replica.kill();
  });

  const accept = (body: string) =>
    sut.app.inject({
      method: 'POST',
      url: '/v1/models/iris/predict:async',
      headers: { authorization: 'Bearer ada-token', 'content-type': 'text/plain' },
      payload: body,
    });
  const settled = async (id: string): Promise<PredictionView> => {
    for (;;) {
      const view = (
        await sut.app.inject({
          method: 'GET',
          url: `/v1/predictions/${id}`,
          headers: { authorization: 'Bearer ada-token' },
        })
      ).json<PredictionView>();
      if (view.status !== 'pending') return view;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it("runs accepted requests on the model's replica with the platform credential", async () => {
    const ids = await Promise.all(
      ['a', 'b', 'c'].map(async (input) => (await accept(input)).json<{ id: string }>().id),
    );
    const views = await Promise.all(ids.map(settled));
    expect(views.map((v) => [v.status, v.version, v.output])).toEqual([
      ['succeeded', '1.0.0', 'out:a'],
      ['succeeded', '1.0.0', 'out:b'],
      ['succeeded', '1.0.0', 'out:c'],
    ]);
    const sent = replica.seen.map((r) => r.headers.authorization);
    expect(new Set(sent)).toEqual(new Set(['Bearer platform-token-for-iris']));
    expect(credentials).toContain('iris');
  });

  it("records the model's refusal as a failed prediction", async () => {
    const { id } = (await accept('fail')).json<{ id: string }>();
    expect(await settled(id)).toMatchObject({
      status: 'failed',
      version: '1.0.0',
      error: { code: 'MODEL_ERROR', message: 'bad input' },
    });
  });
});
