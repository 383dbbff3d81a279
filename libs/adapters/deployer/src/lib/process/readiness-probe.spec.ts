import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { freePort } from './free-port';
import { httpReadinessProbe, initFailureInOutput } from './readiness-probe';

describe(httpReadinessProbe.name, () => {
  let server: Server;
  let answer: { status: number; body: string; delayMs?: number };

  async function baseUrl(): Promise<string> {
    server = createServer((_request, response) => {
      setTimeout(() => response.writeHead(answer.status).end(answer.body), answer.delayMs ?? 0);
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
  });

  it('is ready on 200', async () => {
    answer = { status: 200, body: '{"status":"ready","state":"READY"}' };

    expect(await httpReadinessProbe(await baseUrl(), 1_000)).toEqual({ kind: 'ready' });
  });

  it('is not ready on 503 while the model starts', async () => {
    answer = { status: 503, body: '{"status":"not ready","state":"STARTING"}' };

    expect(await httpReadinessProbe(await baseUrl(), 1_000)).toEqual({
      kind: 'not-ready',
      status: 503,
    });
  });

  it("carries the model's own message once init has failed", async () => {
    answer = {
      status: 503,
      body: JSON.stringify({
        status: 'not ready',
        state: 'INIT_FAILED',
        error: { code: 'INIT_FAILED', message: 'Error: coefficients/weights.json not found' },
      }),
    };

    expect(await httpReadinessProbe(await baseUrl(), 1_000)).toEqual({
      kind: 'not-ready',
      status: 503,
      initError: 'Error: coefficients/weights.json not found',
    });
  });

  it('reports init failed without a reason when /readyz keeps the error to itself', async () => {
    answer = { status: 503, body: '{"status":"not ready","state":"INIT_FAILED"}' };

    expect(await httpReadinessProbe(await baseUrl(), 1_000)).toEqual({
      kind: 'not-ready',
      status: 503,
      initError: 'init failed (no reason given)',
    });
  });

  it('tells a refused connection and a slow answer apart from an answer', async () => {
    answer = { status: 200, body: '', delayMs: 500 };

    expect(await httpReadinessProbe(await baseUrl(), 50)).toEqual({
      kind: 'unreachable',
      reason: 'no answer within 50 ms',
    });
    const closedPort = await freePort('127.0.0.1');
    expect(await httpReadinessProbe(`http://127.0.0.1:${closedPort}`, 1_000)).toMatchObject({
      kind: 'unreachable',
      reason: expect.stringContaining('ECONNREFUSED'),
    });
  });
});

describe(initFailureInOutput.name, () => {
  it("finds the newest 'model init failed' line's reason among other output", () => {
    const output = [
      'plain text from the model',
      '{"msg":"model init failed","reason":"Error: old"}',
      '{"msg":"model init failed","reason":"Error: no weights","code":"INIT_FAILED"}',
      '{"msg":"runtime stopped"}',
      '{"msg":"model init f',
    ].join('\n');

    expect(initFailureInOutput(output)).toBe('Error: no weights');
    expect(initFailureInOutput('{"msg":"model ready"}\nnot json')).toBeUndefined();
  });
});
