import { MemoryPredictionBus } from '@ml-run/async-predictions';
import type { PredictionOutcome, PredictionView } from '@ml-run/prediction-contract';
import { SCRAPER } from '@ml-run/server/testing';

import { routesOf, startTestRouter, type TestRouter } from '../../testing/start-test-router';
import { OutcomeHandler } from './outcome-handler';

const ADA = { authorization: 'Bearer ada-token' };
const IRIS = routesOf({
  iris: { versions: { '1.0.0': ['http://127.0.0.1:1'] } },
  echo: { versions: { '1.0.0': ['http://127.0.0.1:1'] } },
});

function outcome(id: string, overrides: Partial<PredictionOutcome> = {}): PredictionOutcome {
  return {
    id,
    model: 'iris',
    version: '1.0.0',
    status: 'succeeded',
    output: '{"class":"setosa"}',
    completedAt: new Date().toISOString(),
    ...overrides,
  };
}

describe('asynchronous predict routes', () => {
  let sut: TestRouter;

  beforeAll(async () => {
    sut = await startTestRouter({
      routes: IRIS,
      async: true,
      settings: { MLRUN_MAX_BODY_BYTES: '1024' },
    });
    sut.async?.validator.grant('ada-token', 'predict:iris predict:echo', 3600, 'ada');
  });
  afterAll(() => sut.app.close());

  const accept = (body = '{"features":[5.1,3.5,1.4,0.2]}', headers = ADA, model = 'iris') =>
    sut.app.inject({
      method: 'POST',
      url: `/v1/models/${model}/predict:async`,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: body,
    });
  const read = (id: string, headers = ADA) =>
    sut.app.inject({ method: 'GET', url: `/v1/predictions/${id}`, headers });

  it('accepts with 202, an id and its Location, and queues the input for the model', async () => {
    const next = sut.async?.bus.next();
    const res = await accept();
    expect(res.statusCode).toBe(202);
    const body = res.json<{ id: string; status: string; location: string }>();
    expect(body).toEqual({
      id: expect.any(String),
      status: 'pending',
      location: `/v1/predictions/${body.id}`,
    });
    expect(res.headers.location).toBe(body.location);
    const delivery = await next;
    expect(delivery?.request).toEqual({
      id: body.id,
      model: 'iris',
      input: '{"features":[5.1,3.5,1.4,0.2]}',
      acceptedAt: expect.any(String),
    });
    delivery?.ack();
  });

  it('reads the prediction as pending, then settled by its first outcome', async () => {
    const { id } = (await accept()).json<{ id: string }>();
    expect((await read(id)).json<PredictionView>()).toMatchObject({ id, status: 'pending' });
    await sut.async?.bus.publish(outcome(id));
    await sut.async?.bus.publish(outcome(id, { output: 'a redelivery' }));
    let view: PredictionView | undefined;
    for (let i = 0; i < 100 && view?.status !== 'succeeded'; i++) {
      view = (await read(id)).json<PredictionView>();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(view).toMatchObject({
      id,
      model: 'iris',
      status: 'succeeded',
      version: '1.0.0',
      output: '{"class":"setosa"}',
    });
    expect(view).not.toHaveProperty('subject');
  });

  it('counts a redelivered outcome as absorbed', async () => {
    const { id } = (await accept()).json<{ id: string }>();
    const handler = sut.app.nest.get(OutcomeHandler);
    await handler.handle(outcome(id));
    await handler.handle(outcome(id, { output: 'again' }));
    const metrics = await sut.app.inject({ method: 'GET', url: '/metrics', headers: SCRAPER });
    expect(metrics.body).toMatch(
      /mlrun_router_async_redeliveries_absorbed_total\{[^}]*model="iris"[^}]*\} [1-9]/,
    );
    expect((await read(id)).json<PredictionView>().output).toBe('{"class":"setosa"}');
  });

  it('refuses a model the route table does not have with 404 MODEL_NOT_FOUND', async () => {
    sut.async?.validator.grant('all-token', 'predict:*', 3600, 'ada');
    const res = await accept('{}', { authorization: 'Bearer all-token' }, 'nosuch');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('MODEL_NOT_FOUND');
  });

  it('refuses a body over MLRUN_MAX_BODY_BYTES with 413, as the synchronous predict', async () => {
    const res = await accept('x'.repeat(2048));
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a callback when no callback secret is configured', async () => {
    const res = await accept('{}', {
      ...ADA,
      'x-mlrun-callback-url': 'http://127.0.0.1:9/hook',
    } as typeof ADA);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('CALLBACKS_DISABLED');
  });

  it('declares both routes in the OpenAPI document', async () => {
    const doc = (await sut.app.inject({ method: 'GET', url: '/docs/json' })).json<{
      paths: Record<string, unknown>;
    }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/models/{name}/predict:async', '/v1/predictions/{id}']),
    );
  });
});

describe('a router whose prediction queue is full', () => {
  it('answers 503 ASYNC_QUEUE_UNAVAILABLE with Retry-After, and nothing runs', async () => {
    const sut = await startTestRouter({
      routes: IRIS,
      async: true,
      asyncBus: new MemoryPredictionBus(1),
    });
    sut.async?.validator.grant('ada-token', 'predict:iris', 3600, 'ada');
    const post = () =>
      sut.app.inject({
        method: 'POST',
        url: '/v1/models/iris/predict:async',
        headers: ADA,
        payload: '{}',
      });
    expect((await post()).statusCode).toBe(202);
    const full = await post();
    expect([full.statusCode, full.json().code, full.headers['retry-after']]).toEqual([
      503,
      'ASYNC_QUEUE_UNAVAILABLE',
      '1',
    ]);
    expect(sut.async?.bus.depth).toBe(1);
    await sut.app.close();
  });
});

describe('a router without asynchronous predictions', () => {
  it('answers 503 ASYNC_PREDICTIONS_UNAVAILABLE, and 401 to a caller without a token', async () => {
    const sut = await startTestRouter({ routes: IRIS });
    const post = (headers: Record<string, string>) =>
      sut.app.inject({
        method: 'POST',
        url: '/v1/models/iris/predict:async',
        headers,
        payload: '{}',
      });
    expect((await post({})).statusCode).toBe(401);
    const res = await post(ADA);
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('ASYNC_PREDICTIONS_UNAVAILABLE');
    await sut.app.close();
  });
});
