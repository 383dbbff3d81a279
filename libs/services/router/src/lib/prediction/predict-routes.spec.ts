import type { AliasTarget, RouteTable } from '@ml-run/registry-contract';

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
const V2 = '1.1.0+bbbbbbbbbbbb';
const AT = '2026-11-28T12:00:00.000Z';

describe('predict routes', () => {
  let a: FakeUpstream;
  let b: FakeUpstream;
  let c: FakeUpstream;

  beforeAll(async () => ([a, b, c] = await startFakeUpstreams('a', 'b', 'c')));
  afterAll(() => Promise.all([a.kill(), b.kill(), c.kill()]));

  // The builder's route table; `iris` replaces parts of iris's versions and aliases.
  function irisRoutes(
    iris: { versions?: Record<string, string[]>; aliases?: Record<string, AliasTarget> } = {},
  ): RouteTable {
    return routesOf({
      iris: {
        versions: iris.versions ?? { [V1]: [a.url], [V2]: [b.url] },
        aliases: iris.aliases ?? {
          stable: aliasOf([V1, 100]),
          canary: aliasOf([V1, 90], [V2, 10]),
        },
      },
      wine: { versions: { '2.0.0': [] }, aliases: { stable: aliasOf(['2.0.0', 100]) } },
    });
  }

  async function servedBy(router: TestRouter, url: string, headers: Record<string, string> = {}) {
    const res = await router.app.inject({
      method: 'POST',
      url,
      payload: 'x',
      headers: { ...CALLER, ...headers },
    });
    expect(res.statusCode).toBe(200);
    return (res.json() as { servedBy: string }).servedBy;
  }

  describe('routing', () => {
    let sut: TestRouter;
    let draw: number;

    beforeAll(async () => {
      sut = await startTestRouter({ routes: irisRoutes(), random: () => draw });
    });
    afterAll(() => sut.app.close());
    beforeEach(() => (draw = 0));

    it('sends /predict to the version the stable alias names', async () => {
      expect(await servedBy(sut, '/v1/models/iris/predict')).toBe('a');
    });

    it('takes the alias from ?alias=, else from x-mlrun-alias', async () => {
      draw = 0.95;
      expect(await servedBy(sut, '/v1/models/iris/predict?alias=canary')).toBe('b');
      expect(await servedBy(sut, '/v1/models/iris/predict', { 'x-mlrun-alias': 'canary' })).toBe(
        'b',
      );
      const both = '/v1/models/iris/predict?alias=stable';
      expect(await servedBy(sut, both, { 'x-mlrun-alias': 'canary' })).toBe('a');
    });

    it('splits a canary alias by weight', async () => {
      const split: string[] = [];
      for (const value of [0, 0.5, 0.89, 0.9, 0.99]) {
        draw = value;
        split.push(await servedBy(sut, '/v1/models/iris/predict?alias=canary'));
      }
      expect(split).toEqual(['a', 'a', 'a', 'b', 'b']);
    });

    it('sends /versions/{version}/predict to that version, + escaped or not', async () => {
      expect(await servedBy(sut, `/v1/models/iris/versions/${V2}/predict`)).toBe('b');
      const escaped = `/v1/models/iris/versions/${encodeURIComponent(V2)}/predict`;
      expect(await servedBy(sut, escaped)).toBe('b');
    });

    it.each([
      ['/v1/models/rose/predict', 'MODEL_NOT_FOUND', 'deployed models: iris, wine'],
      [
        '/v1/models/iris/versions/9.9.9/predict',
        'VERSION_NOT_FOUND',
        `deployed versions: ${V1}, ${V2}`,
      ],
      ['/v1/models/iris/predict?alias=beta', 'ALIAS_NOT_FOUND', 'its aliases: canary, stable'],
    ])('answers %s with 404 %s, saying what exists', async (url, code, known) => {
      const res = await sut.app.inject({ method: 'POST', url, payload: 'x', headers: CALLER });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ code, message: expect.stringContaining(known) });
    });

    it('documents both predict paths and the in-flight counts in /docs/json', async () => {
      const res = await sut.app.inject({ method: 'GET', url: '/docs/json' });
      const paths = Object.keys((res.json() as { paths: Record<string, unknown> }).paths);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/v1/models/{name}/predict',
          '/v1/models/{name}/versions/{version}/predict',
          '/v1/routes/inflight',
        ]),
      );
    });

    it('answers 503 NO_READY_REPLICA with Retry-After when no replica is ready', async () => {
      const res = await sut.app.inject({
        method: 'POST',
        url: '/v1/models/wine/predict',
        headers: CALLER,
      });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json()).toEqual({
        code: 'NO_READY_REPLICA',
        message: 'wine@2.0.0 has no ready replica; retry in a second',
      });
    });
  });

  describe('routes kept current by the route table, reloaded on events', () => {
    let sut: TestRouter;

    beforeEach(async () => {
      sut = await startTestRouter({ routes: irisRoutes() });
    });
    afterEach(() => sut.app.close());

    it('routes a newly deployed version, then moves the alias to it', async () => {
      const V3 = '2.0.0+cccccccccccc';
      const versions = { [V1]: [a.url], [V2]: [b.url], [V3]: [c.url] };
      await sut.changeRoutes(
        irisRoutes({ versions }),
        deploymentEvent('deployment.ready', 'iris', V3, [c.url]),
      );
      expect(await servedBy(sut, `/v1/models/iris/versions/${V3}/predict`)).toBe('c');
      expect(await servedBy(sut, '/v1/models/iris/predict')).toBe('a');
      const target = aliasOf([V3, 100]);
      const hint = {
        type: 'alias.changed',
        name: 'iris',
        alias: 'stable',
        target,
        at: AT,
      } as const;
      await sut.changeRoutes(irisRoutes({ versions, aliases: { stable: target } }), hint);
      expect(await servedBy(sut, '/v1/models/iris/predict')).toBe('c');
    });

    it('forgets a removed version and a deleted alias', async () => {
      const removed = irisRoutes({
        versions: { [V1]: [a.url] },
        aliases: { stable: aliasOf([V1, 100]) },
      });
      await sut.changeRoutes(removed, deploymentEvent('deployment.removed', 'iris', V2, []));
      const version = await sut.app.inject({
        method: 'POST',
        url: `/v1/models/iris/versions/${V2}/predict`,
        headers: CALLER,
      });
      expect(version.json().code).toBe('VERSION_NOT_FOUND');
      const alias = await sut.app.inject({
        method: 'POST',
        url: '/v1/models/iris/predict?alias=canary',
        headers: CALLER,
      });
      expect(alias.json().code).toBe('ALIAS_NOT_FOUND');
    });

    it('stops routing to a replica no longer READY', async () => {
      await sut.changeRoutes(
        irisRoutes({ versions: { [V1]: [c.url], [V2]: [b.url] } }),
        deploymentEvent('deployment.changed', 'iris', V1, [c.url], [a.url]),
      );
      expect(await servedBy(sut, '/v1/models/iris/predict')).toBe('c');
      expect(await servedBy(sut, '/v1/models/iris/predict')).toBe('c');
    });
  });

  describe('before the route snapshot is in', () => {
    it('answers 503 ROUTES_NOT_LOADED with Retry-After, and /readyz 503', async () => {
      let answer: (table: RouteTable) => void = () => undefined;
      const sut = await startTestRouter({
        snapshot: () => new Promise((resolve) => (answer = resolve)),
      });
      const early = await sut.app.inject({
        method: 'POST',
        url: '/v1/models/iris/predict',
        headers: CALLER,
      });
      expect(early.statusCode).toBe(503);
      expect(early.headers['retry-after']).toBe('1');
      expect(early.json().code).toBe('ROUTES_NOT_LOADED');
      expect((await sut.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
      answer(irisRoutes());
      await sut.settled();
      expect((await sut.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      expect(await servedBy(sut, '/v1/models/iris/predict')).toBe('a');
      await sut.app.close();
    });
  });

  describe('passing requests through', () => {
    let sut: TestRouter;

    beforeAll(async () => {
      sut = await startTestRouter({
        routes: irisRoutes(),
        settings: { MLRUN_MAX_BODY_BYTES: '1024' },
      });
    });
    afterAll(() => sut.app.close());
    afterEach(() => (a.handler = undefined));

    it('passes authorization on and www-authenticate back with a 401', async () => {
      a.handler = () => ({
        status: 401,
        headers: {
          'content-type': 'application/json',
          'www-authenticate': 'Bearer error="invalid_token"',
        },
        body: '{"code":"INVALID_TOKEN","message":"token expired"}',
      });
      const res = await sut.app.inject({
        method: 'POST',
        url: '/v1/models/iris/predict',
        headers: {
          authorization: 'Bearer mlr_abc',
          cookie: 'session=1',
          'content-type': 'application/json',
        },
        payload: '{"features":[1]}',
      });
      expect(a.seen.at(-1)?.headers).toMatchObject({
        authorization: 'Bearer mlr_abc',
        'content-type': 'application/json',
      });
      expect(a.seen.at(-1)?.headers['cookie']).toBeUndefined();
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      expect(res.json()).toEqual({ code: 'INVALID_TOKEN', message: 'token expired' });
    });

    it('passes the raw body, content-type and accept on, and the answer back as sent', async () => {
      a.handler = (seen) => ({
        status: 200,
        headers: { 'content-type': 'text/csv', 'retry-after': '7', 'x-internal': 'no' },
        body: `${seen.headers['content-type']};${seen.headers['accept']};${seen.body}`,
      });
      const res = await sut.app.inject({
        method: 'POST',
        url: '/v1/models/iris/predict',
        headers: { ...CALLER, 'content-type': 'text/csv', accept: 'text/csv' },
        payload: '5.1,3.5,1.4,0.2\n',
      });
      expect(res.body).toBe('text/csv;text/csv;5.1,3.5,1.4,0.2\n');
      expect(res.headers['content-type']).toBe('text/csv');
      expect(res.headers['retry-after']).toBe('7');
      expect(res.headers['x-internal']).toBeUndefined();
    });

    it('passes the caller x-request-id on, or its own when the caller sent none', async () => {
      const given = await sut.app.inject({
        method: 'POST',
        url: '/v1/models/iris/predict',
        headers: { ...CALLER, 'x-request-id': 'req-42' },
      });
      expect(a.seen.at(-1)?.headers['x-request-id']).toBe('req-42');
      expect(given.headers['x-request-id']).toBe('req-42');
      const own = await sut.app.inject({
        method: 'POST',
        url: '/v1/models/iris/predict',
        headers: CALLER,
      });
      expect(a.seen.at(-1)?.headers['x-request-id']).toBe(own.headers['x-request-id']);
      expect(own.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('refuses a body over MLRUN_MAX_BODY_BYTES with 413 before any replica sees it', async () => {
      const before = a.seen.length;
      const res = await sut.app.inject({
        method: 'POST',
        url: '/v1/models/iris/predict',
        headers: { ...CALLER, 'content-type': 'application/octet-stream' },
        payload: Buffer.alloc(2048),
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
      expect(a.seen.length).toBe(before);
    });

    it('passes a replica error through unchanged, without a retry', async () => {
      a.handler = () => ({
        status: 503,
        headers: { 'retry-after': '1' },
        body: '{"code":"MODEL_NOT_READY"}',
      });
      const before = a.seen.length;
      const res = await sut.app.inject({
        method: 'POST',
        url: '/v1/models/iris/predict',
        headers: CALLER,
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('MODEL_NOT_READY');
      expect(a.seen.length).toBe(before + 1);
    });
  });
});
