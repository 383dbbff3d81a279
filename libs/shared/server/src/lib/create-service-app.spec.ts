import { connect } from 'node:net';
import { BadRequestException, Body, Controller, Get, Module, Post } from '@nestjs/common';

import { credentialDigest } from '@ml-run/token-contract';

import { Access, Rule } from './access/access-rule';
import { createServiceApp, type ServerSettings } from './create-service-app';
import { READINESS_CHECK } from './health/readiness.port';
import type { ServiceApp } from './service-app';

class QuotaExceeded extends Error {}

const state = { ready: false };

@Controller('v1')
class ProbeController {
  @Get('ok')
  @Access(Rule.public())
  ok() {
    return { ok: true };
  }
  @Get('bad')
  @Access(Rule.public())
  bad() {
    throw new BadRequestException({ code: 'NAME_INVALID', message: 'name must be lower case' });
  }
  @Get('domain')
  @Access(Rule.public())
  domain() {
    throw new QuotaExceeded('quota used up');
  }
  @Get('boom')
  @Access(Rule.public())
  boom() {
    throw new Error('secret internal detail');
  }
  @Get('slow')
  @Access(Rule.public())
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, 700));
    return { slow: true };
  }
  @Post('echo')
  @Access(Rule.public())
  echo(@Body() body: unknown) {
    return body;
  }
  @Get('routes')
  @Access(Rule.service('route-table'))
  routes() {
    return { routes: 'for routers' };
  }
}

@Module({
  controllers: [ProbeController],
  providers: [
    {
      provide: READINESS_CHECK,
      useValue: { readiness: () => ({ ready: state.ready, details: { phase: 'x' } }) },
    },
  ],
})
class ProbeModule {}

const METRICS_TOKEN = 'metrics-credential-for-the-spec-0123456789';
const ROUTE_TABLE_TOKEN = 'route-table-credential-for-the-spec-012345';
const scrape = (token?: string) => ({
  method: 'GET' as const,
  url: '/metrics',
  headers: token ? { authorization: `Bearer ${token}` } : {},
});

const SETTINGS = {
  MLRUN_METRICS_TOKEN: METRICS_TOKEN,
  MLRUN_PORT: 0,
  MLRUN_HOST: '127.0.0.1',
  MLRUN_LOG_LEVEL: 'silent',
  MLRUN_MAX_BODY_BYTES: 64,
  MLRUN_REQUEST_TIMEOUT_MS: 30_000,
  MLRUN_HEADERS_TIMEOUT_MS: 10_000,
  MLRUN_KEEP_ALIVE_TIMEOUT_MS: 65_000,
};

describe(createServiceApp.name, () => {
  let sut: ServiceApp;

  beforeAll(async () => {
    sut = await createServiceApp({
      service: 'probe',
      description: 'test service',
      module: ProbeModule,
      settings: SETTINGS,
      errorMapper: (error) =>
        error instanceof QuotaExceeded
          ? { status: 429, code: 'QUOTA', message: error.message, headers: { 'retry-after': '1' } }
          : undefined,
    });
  });
  afterAll(() => sut.close());

  it('answers /healthz while up', async () => {
    const res = await sut.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
  });

  it('answers /readyz from the service readiness check', async () => {
    state.ready = false;
    const notReady = await sut.inject({ method: 'GET', url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toEqual({ status: 'not ready', phase: 'x' });
    state.ready = true;
    expect((await sut.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it('passes a caller x-request-id through and generates one otherwise', async () => {
    const passed = await sut.inject({
      method: 'GET',
      url: '/v1/ok',
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(passed.headers['x-request-id']).toBe('abc-123');
    const generated = await sut.inject({ method: 'GET', url: '/v1/ok' });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('replaces an x-request-id that could forge log lines', async () => {
    const res = await sut.inject({
      method: 'GET',
      url: '/v1/ok',
      headers: { 'x-request-id': 'a\tb"c' },
    });
    expect(res.headers['x-request-id']).not.toBe('a\tb"c');
  });

  it('answers a coded HttpException with its code and message', async () => {
    const res = await sut.inject({ method: 'GET', url: '/v1/bad' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'NAME_INVALID', message: 'name must be lower case' });
  });

  it('maps domain errors through the service mapper, headers included', async () => {
    const res = await sut.inject({ method: 'GET', url: '/v1/domain' });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toEqual({ code: 'QUOTA', message: 'quota used up' });
  });

  it('hides unexpected errors behind a request id', async () => {
    const res = await sut.inject({
      method: 'GET',
      url: '/v1/boom',
      headers: { 'x-request-id': 'r1' },
    });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ code: 'INTERNAL', message: expect.any(String), requestId: 'r1' });
    expect(res.body).not.toContain('secret internal detail');
  });

  it('answers unknown routes with a coded 404', async () => {
    const res = await sut.inject({ method: 'GET', url: '/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a body over the cap with 413', async () => {
    const res = await sut.inject({
      method: 'POST',
      url: '/v1/echo',
      payload: { text: 'x'.repeat(100) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringContaining('64 bytes'),
    });
  });

  it('exposes Prometheus metrics labelled by route template', async () => {
    await sut.inject({ method: 'GET', url: '/v1/ok' });
    const res = await sut.inject(scrape(METRICS_TOKEN));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(
      /http_requests_total\{method="GET",route="\/v1\/ok",status="200",service="probe"\} \d+/,
    );
    expect(res.body).toContain('process_cpu_seconds_total');
  });

  it('serves the OpenAPI document', async () => {
    const res = await sut.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().paths).toHaveProperty('/v1/ok');
    expect((await sut.inject({ method: 'GET', url: '/docs' })).statusCode).toBe(200);
  });
});

// A caller scraping /metrics (subjects, traffic) or reaching a service door with the wrong
// credential: each credential opens only its own role's doors.
describe('service doors', () => {
  const start = (settings: ServerSettings = SETTINGS) =>
    createServiceApp({
      service: 'probe',
      description: 'test service',
      module: ProbeModule,
      settings,
      serviceCredentials: { 'route-table': ROUTE_TABLE_TOKEN },
    });
  let sut: ServiceApp;
  beforeAll(async () => {
    sut = await start();
  });
  afterAll(() => sut.close());

  it.each([
    ['no credential', undefined],
    ['a wrong credential', `${METRICS_TOKEN}x`],
    ["another role's credential", ROUTE_TABLE_TOKEN],
  ])('refuses /metrics with %s', async (_what, token) => {
    const res = await sut.inject(scrape(token));
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('INVALID_SERVICE_CREDENTIAL');
    expect(res.json().message).toContain('MLRUN_METRICS_TOKEN');
    expect(res.headers['www-authenticate']).toContain('realm="ml-run-services"');
    expect(res.body).not.toContain('http_requests_total');
  });

  it("refuses the scrape credential at another role's door", async () => {
    const res = await sut.inject({
      method: 'GET',
      url: '/v1/routes',
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(res.statusCode).toBe(401);
    const ok = await sut.inject({
      method: 'GET',
      url: '/v1/routes',
      headers: { authorization: `Bearer ${ROUTE_TABLE_TOKEN}` },
    });
    expect(ok.json()).toEqual({ routes: 'for routers' });
  });

  it('checks the scrape credential against its digest when given only that', async () => {
    const app = await start({ ...SETTINGS, MLRUN_METRICS_TOKEN: credentialDigest(METRICS_TOKEN) });
    expect((await app.inject(scrape(METRICS_TOKEN))).statusCode).toBe(200);
    expect((await app.inject(scrape(credentialDigest(METRICS_TOKEN)))).statusCode).toBe(401);
    await app.close();
  });

  it('closes /metrics to everyone when no scrape credential is configured', async () => {
    const app = await start({ ...SETTINGS, MLRUN_METRICS_TOKEN: undefined });
    for (const token of [undefined, METRICS_TOKEN, ROUTE_TABLE_TOKEN]) {
      const res = await app.inject(scrape(token));
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({
        code: 'SERVICE_CREDENTIAL_NOT_CONFIGURED',
        message: expect.stringContaining('started without MLRUN_METRICS_TOKEN'),
      });
    }
    await app.close();
  });
});

describe('resources a host hands to a service', () => {
  it('closes them when the service closes, newest first, even if one fails', async () => {
    const closed: string[] = [];
    const sut = await createServiceApp({
      service: 'probe',
      description: 'test service',
      module: ProbeModule,
      settings: SETTINGS,
      resources: [
        { close: () => void closed.push('pool') },
        {
          close: async () => {
            closed.push('bus');
            throw new Error('bus close failed');
          },
        },
      ],
    });
    await sut.listen();
    expect(closed).toEqual([]);
    await sut.close();
    expect(closed).toEqual(['bus', 'pool']);
  });

  describe('with a short request timeout', () => {
    let quick: ServiceApp;
    let port: number;

    beforeAll(async () => {
      quick = await createServiceApp({
        service: 'probe',
        description: 'test service',
        module: ProbeModule,
        settings: {
          ...SETTINGS,
          MLRUN_HOST: '127.0.0.1,127.0.0.2',
          MLRUN_MAX_BODY_BYTES: 1024,
          MLRUN_REQUEST_TIMEOUT_MS: 400,
        },
      });
      port = Number(new URL(await quick.listen()).port);
    });
    afterAll(() => quick.close());

    // On every address: the second one's server has the same timeouts.
    it.each(['127.0.0.1', '127.0.0.2'])(
      'answers 408 on %s and closes the connection of a caller sending its body a byte at a time',
      async (host) => {
        const socket = connect(port, host);
        let received = '';
        socket.on('data', (chunk) => (received += chunk.toString()));
        const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
        socket.write('POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n');
        socket.write('Content-Length: 100\r\n\r\n');
        const drip = setInterval(() => socket.writable && socket.write('x'), 100);
        try {
          await closed;
        } finally {
          clearInterval(drip);
        }
        expect(received).toMatch(/^HTTP\/1\.1 408 /);
      },
    );

    it('lets an answer take longer than the request timeout', async () => {
      const res = await fetch(`http://127.0.0.1:${port}/v1/slow`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ slow: true });
    });
  });
});

describe('a service on several addresses (MLRUN_HOST a list)', () => {
  const start = (host: string) =>
    createServiceApp({
      service: 'probe',
      description: 'test service',
      module: ProbeModule,
      settings: { ...SETTINGS, MLRUN_HOST: host },
    });
  const refused = (url: string) =>
    fetch(url).then(
      () => false,
      () => true,
    );

  it('serves the same routes on each address, on one port, and answers the first as its URL', async () => {
    const sut = await start('127.0.0.1,127.0.0.2');
    try {
      const url = await sut.listen();
      const { port } = new URL(url);
      expect(url).toBe(`http://127.0.0.1:${port}`);
      for (const host of ['127.0.0.1', '127.0.0.2']) {
        const res = await fetch(`http://${host}:${port}/v1/ok`);
        expect(await res.json()).toEqual({ ok: true });
      }
    } finally {
      await sut.close();
    }
  });

  it('finishes a request in flight on a second address when it closes, then listens on none', async () => {
    const sut = await start('127.0.0.1,127.0.0.2');
    const { port } = new URL(await sut.listen());
    const slow = fetch(`http://127.0.0.2:${port}/v1/slow`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await sut.close();
    const res = await slow;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ slow: true });
    expect(await refused(`http://127.0.0.1:${port}/v1/ok`)).toBe(true);
    expect(await refused(`http://127.0.0.2:${port}/v1/ok`)).toBe(true);
  });

  it('fails to listen when a second address cannot be bound', async () => {
    // 198.51.100.1 (TEST-NET-2) is no address of this machine.
    const sut = await start('127.0.0.1,198.51.100.1');
    try {
      await expect(sut.listen()).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });
    } finally {
      await sut.close();
    }
  });
});
