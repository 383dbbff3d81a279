import { Controller, Get, Logger, Module } from '@nestjs/common';

import { Access, Rule } from '../access/access-rule';
import { createServiceApp } from '../create-service-app';
import type { ServiceApp } from '../service-app';
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
});
