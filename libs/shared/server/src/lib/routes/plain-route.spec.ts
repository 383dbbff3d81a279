import { BadRequestException, Injectable, Module } from '@nestjs/common';

import { Rule } from '../access/access-rule';
import { createServiceApp, type ServerSettings } from '../create-service-app';
import { annotateRequest } from '../logging/request-annotations';
import type { ServiceApp } from '../service-app';
import type { PlainRoute } from './plain-route';

class QuotaExceeded extends Error {}

@Injectable()
class Greeter {
  greet(name: string): { greeting: string } {
    if (name === 'bad') throw new BadRequestException({ code: 'NAME_INVALID', message: 'no' });
    if (name === 'quota') throw new QuotaExceeded('quota used up');
    return { greeting: `hello ${name}` };
  }
}

@Module({ providers: [Greeter] })
class GreeterModule {}

const METRICS_TOKEN = 'metrics-credential-for-the-spec-0123456789';
const ROUTE_TABLE_TOKEN = 'route-table-credential-for-the-spec-012345';

const SETTINGS: ServerSettings = {
  MLRUN_METRICS_TOKEN: METRICS_TOKEN,
  MLRUN_PORT: 0,
  MLRUN_HOST: '127.0.0.1',
  MLRUN_LOG_LEVEL: 'info',
  MLRUN_MAX_BODY_BYTES: 1024,
  MLRUN_REQUEST_TIMEOUT_MS: 30_000,
  MLRUN_HEADERS_TIMEOUT_MS: 10_000,
  MLRUN_KEEP_ALIVE_TIMEOUT_MS: 65_000,
};

function greetRoute(greeter: Greeter): PlainRoute {
  return {
    method: 'POST',
    url: '/v1/greet/:name',
    access: [Rule.service('route-table')],
    openApi: { summary: 'Greets a name', responses: { 200: { description: 'the greeting' } } },
    handler: async (request) => {
      annotateRequest(request.raw, { model: 'greeter' });
      return greeter.greet((request.params as { name: string }).name);
    },
  };
}

describe('plain routes (createServiceApp plainRoutes)', () => {
  const lines: Record<string, unknown>[] = [];
  let sut: ServiceApp;
  const asRouteTable = { authorization: `Bearer ${ROUTE_TABLE_TOKEN}` };

  beforeAll(async () => {
    sut = await createServiceApp({
      service: 'plain-probe',
      description: 'test service',
      module: GreeterModule,
      settings: SETTINGS,
      serviceCredentials: { 'route-table': ROUTE_TABLE_TOKEN },
      errorMapper: (error) =>
        error instanceof QuotaExceeded
          ? { status: 429, code: 'QUOTA', message: error.message }
          : undefined,
      plainRoutes: (app) => [greetRoute(app.get(Greeter))],
      logDestination: { write: (line: string) => void lines.push(JSON.parse(line)) },
    });
  });
  afterAll(() => sut.close());
  beforeEach(() => (lines.length = 0));

  it('serves the route with the request id echoed and one completion line', async () => {
    const res = await sut.inject({
      method: 'POST',
      url: '/v1/greet/ada',
      headers: { ...asRouteTable, 'x-request-id': 'req-7' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ greeting: 'hello ada' });
    expect(res.headers['x-request-id']).toBe('req-7');
    expect(lines.filter((l) => l['msg'] === 'request completed')).toEqual([
      expect.objectContaining({
        requestId: 'req-7',
        method: 'POST',
        route: '/v1/greet/:name',
        status: 200,
        sub: 'ml-run-service:route-table',
        model: 'greeter',
      }),
    ]);
  });

  it('enforces its access rule before the handler runs', async () => {
    const res = await sut.inject({ method: 'POST', url: '/v1/greet/ada' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  });

  it('answers thrown errors through the error filter and the service mapper', async () => {
    const bad = await sut.inject({ method: 'POST', url: '/v1/greet/bad', headers: asRouteTable });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ code: 'NAME_INVALID', message: 'no' });
    const quota = await sut.inject({
      method: 'POST',
      url: '/v1/greet/quota',
      headers: asRouteTable,
    });
    expect(quota.statusCode).toBe(429);
    expect(quota.json()).toEqual({ code: 'QUOTA', message: 'quota used up' });
  });

  it('counts it in the http metrics by route template', async () => {
    await sut.inject({ method: 'POST', url: '/v1/greet/ada', headers: asRouteTable });
    const res = await sut.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(res.body).toMatch(
      /http_requests_total\{method="POST",route="\/v1\/greet\/:name",status="200",service="plain-probe"\} \d+/,
    );
    expect(res.body).toMatch(
      /http_request_duration_seconds_count\{[^}]*method="POST",route="\/v1\/greet\/:name"\} \d+/,
    );
  });

  it('lists it in the OpenAPI document and in the served routes', async () => {
    const res = await sut.inject({ method: 'GET', url: '/docs/json' });
    expect(res.json().paths['/v1/greet/{name}'].post).toMatchObject({
      summary: 'Greets a name',
      parameters: [expect.objectContaining({ name: 'name', in: 'path' })],
    });
    expect(sut.routes).toContainEqual({
      method: 'POST',
      url: '/v1/greet/:name',
      rules: [Rule.service('route-table')],
    });
  });

  it('fails the start when a plain route declares no rule', async () => {
    const ruleless = {
      ...greetRoute(new Greeter()),
      access: [] as unknown as PlainRoute['access'],
    };
    await expect(
      createServiceApp({
        service: 'ruleless',
        description: 'test service',
        module: GreeterModule,
        settings: { ...SETTINGS, MLRUN_LOG_LEVEL: 'silent' },
        plainRoutes: () => [ruleless],
      }),
    ).rejects.toThrow(/declares no access rule/);
  });
});
