import { Controller, Get, Logger, Module, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { Access, Rule } from '../access/access-rule';
import { createServiceApp } from '../create-service-app';
import type { ServiceApp } from '../service-app';
import { annotateRequest } from './request-annotations';
import { RequestLogController } from './request-logging';

@Controller('v1')
class LoggingController {
  private readonly logger = new Logger(LoggingController.name);

  @Get('login')
  @Access(Rule.public())
  login() {
    this.logger.log({ user: 'ada', password: 'hunter2', token: 'tkn' }, 'login attempt');
    return { ok: true };
  }

  @Get('annotated')
  @Access(Rule.public())
  annotated(@Req() request: FastifyRequest) {
    annotateRequest(request.raw, { sub: 'ada', model: 'iris', token: 'tkn' });
    return { ok: true };
  }
}

@Module({ controllers: [LoggingController] })
class LoggingModule {}

describe(RequestLogController.name, () => {
  const lines: Record<string, unknown>[] = [];
  let sut: ServiceApp;

  beforeAll(async () => {
    sut = await createServiceApp({
      service: 'logging-probe',
      description: 'test service',
      module: LoggingModule,
      settings: {
        MLRUN_PORT: 0,
        MLRUN_HOST: '127.0.0.1',
        MLRUN_LOG_LEVEL: 'info',
        MLRUN_MAX_BODY_BYTES: 1024,
        MLRUN_REQUEST_TIMEOUT_MS: 30_000,
        MLRUN_HEADERS_TIMEOUT_MS: 10_000,
        MLRUN_KEEP_ALIVE_TIMEOUT_MS: 65_000,
      },
      logDestination: { write: (line: string) => void lines.push(JSON.parse(line)) },
    });
  });
  afterAll(() => sut.close());

  beforeEach(() => (lines.length = 0));

  it('writes one JSON line per request with the request id, route and status', async () => {
    await sut.inject({
      method: 'GET',
      url: '/v1/login',
      headers: { 'x-request-id': 'req-42', authorization: 'Bearer abc' },
    });
    const completed = lines.filter((l) => l['msg'] === 'request completed');
    expect(completed).toEqual([
      expect.objectContaining({
        service: 'logging-probe',
        requestId: 'req-42',
        route: '/v1/login',
        status: 200,
        level: 'info',
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('Bearer abc');
  });

  it("gives a service's own log lines the request id and redacts secrets", async () => {
    await sut.inject({ method: 'GET', url: '/v1/login', headers: { 'x-request-id': 'req-43' } });
    const attempt = lines.find((l) => l['msg'] === 'login attempt');
    expect(attempt).toMatchObject({
      requestId: 'req-43',
      context: 'LoggingController',
      user: 'ada',
      password: '[redacted]',
      token: '[redacted]',
    });
  });

  it('adds the annotations to the completion line, secrets censored, as one JSON line', async () => {
    await sut.inject({
      method: 'GET',
      url: '/v1/annotated',
      headers: { 'x-request-id': 'req-44' },
    });
    const completed = lines.filter((l) => l['msg'] === 'request completed');
    expect(completed).toEqual([
      {
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        service: 'logging-probe',
        pid: process.pid,
        requestId: 'req-44',
        method: 'GET',
        route: '/v1/annotated',
        status: 200,
        durationMs: expect.any(Number),
        sub: 'ada',
        model: 'iris',
        token: '[redacted]',
        msg: 'request completed',
      },
    ]);
  });
});
