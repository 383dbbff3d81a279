import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { until } from '@ml-run/async/testing';
import { EXAMPLES, exampleZip } from '@ml-run/builder-image-build/testing';
import type { ModelRecord, ModelTraffic, RecentError } from '@ml-run/registry-contract';
import {
  openStream,
  sentEventsOf,
  TEST_METRICS_TOKEN,
  type OpenedStream,
} from '@ml-run/server/testing';

import { read, uploadBuilt, versionUrl, write } from '../../testing/builder-requests';
import { bearer, VIEWER_TOKEN } from '../../testing/fake-authorizer';
import { startTestBuilder, type TestBuilder } from '../../testing/start-test-builder';
import { ObservationController } from './observation.controller';

const METRICS_PAGE = `# TYPE mlrun_predictions_total counter
mlrun_predictions_total{model="echo",version="v",status="200"} 9
mlrun_predictions_total{model="echo",version="v",status="500"} 1
mlrun_prediction_duration_seconds_bucket{le="0.01",model="echo",version="v"} 8
mlrun_prediction_duration_seconds_bucket{le="+Inf",model="echo",version="v"} 10
mlrun_prediction_duration_seconds_sum{model="echo",version="v"} 0.07
mlrun_prediction_duration_seconds_count{model="echo",version="v"} 10
mlrun_auth_l1_lookups_total{result="hit"} 8
mlrun_auth_l1_lookups_total{result="miss"} 2
mlrun_auth_validator_calls_total{result="active"} 2
`;

const REPLICA_ERRORS: unknown[] = [
  {
    at: '2026-12-06T00:00:02.000Z',
    source: 'prediction',
    status: 500,
    code: 'WORKER_CRASHED',
    message: 'the worker died',
    requestId: 'r-2',
    body: 'a request body the replica should never have sent',
  },
  { at: '2026-12-06T00:00:01.000Z', source: 'prediction', status: 422, message: 'bad input' },
  { not: 'an error' },
];

/** A replica's /metrics and /v1/errors, open to the scrape credential only. */
async function fakeReplica(): Promise<{
  url: string;
  authorizations: string[];
  close(): Promise<void>;
}> {
  const authorizations: string[] = [];
  const server: Server = createServer((request, response) => {
    authorizations.push(request.headers.authorization ?? '');
    if (request.headers.authorization !== `Bearer ${TEST_METRICS_TOKEN}`) {
      response.writeHead(401).end();
    } else if (request.url === '/metrics') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end(METRICS_PAGE);
    } else if (request.url === '/v1/errors') {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errors: REPLICA_ERRORS }));
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    authorizations,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe(ObservationController.name, () => {
  let replica: Awaited<ReturnType<typeof fakeReplica>>;
  let sut: TestBuilder;
  let version: string;

  beforeAll(async () => {
    replica = await fakeReplica();
  });
  afterAll(() => replica.close());
  beforeEach(async () => {
    sut = await startTestBuilder({
      // Replica 0 answers; replica 1's address refuses connections.
      replicaUrl: (_name, _version, index) => (index === 0 ? replica.url : 'http://127.0.0.1:1'),
      settings: { MLRUN_STREAM_HEARTBEAT_MS: '100' },
    });
    version = (await uploadBuilt(sut, await exampleZip(EXAMPLES.echo))).version;
    replica.authorizations.length = 0;
  });
  afterEach(() => sut.close());

  const deploy = (replicas: number) =>
    write(sut, 'POST', `${versionUrl('echo', version)}/deployment`, { replicas });

  it('documents its endpoints in the OpenAPI document', async () => {
    const { paths } = (await sut.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/v1/models/{name}/events',
        '/v1/models/{name}/traffic',
        '/v1/models/{name}/versions/{version}/errors',
      ]),
    );
    expect(paths['/v1/models/{name}/events'].get.security).toEqual([{ bearer: [] }]);
  });

  describe('GET /v1/models/{name}/traffic', () => {
    it("answers each replica's counters, scraped with the scrape credential; an unreachable one as not scraped", async () => {
      expect((await deploy(2)).statusCode).toBe(200);

      const res = await read(sut, '/v1/models/echo/traffic');

      expect(res.statusCode).toBe(200);
      const traffic: ModelTraffic = res.json();
      expect(traffic).toMatchObject({ name: 'echo', sampledAt: expect.any(String) });
      expect(traffic.replicas).toEqual([
        {
          version,
          replica: 'echo-0',
          state: 'ready',
          scraped: true,
          predictions: [
            { status: 200, count: 9 },
            { status: 500, count: 1 },
          ],
          latency: { buckets: [{ le: 0.01, count: 8 }], sum: 0.07, count: 10 },
          l1: { hits: 8, misses: 2 },
          validatorCalls: [{ outcome: 'active', count: 2 }],
        },
        expect.objectContaining({ replica: 'echo-1', scraped: false, predictions: [] }),
      ]);
      expect(replica.authorizations).toEqual([`Bearer ${TEST_METRICS_TOKEN}`]);
      expect(res.body).not.toContain(replica.url);
    });

    it('answers no replicas for a model not deployed, and 404 MODEL_NOT_FOUND for an unknown one', async () => {
      expect((await read(sut, '/v1/models/echo/traffic')).json().replicas).toEqual([]);
      const unknown = await read(sut, '/v1/models/nope/traffic');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('MODEL_NOT_FOUND');
    });
  });

  describe('GET /v1/models/{name}/versions/{version}/errors', () => {
    it("lists the replicas' failed predictions and failed replicas, newest first, with only the contract's fields", async () => {
      await deploy(2);
      sut.deployer.crash('echo', version, 1, 'model init failed: boom');

      const res = await read(sut, `${versionUrl('echo', version)}/errors`);

      expect(res.statusCode).toBe(200);
      const errors: RecentError[] = res.json().errors;
      expect(errors).toEqual([
        {
          at: expect.any(String),
          source: 'deployment',
          replica: 'echo-1',
          message: 'model init failed: boom',
        },
        {
          at: '2026-12-06T00:00:02.000Z',
          source: 'prediction',
          replica: 'echo-0',
          status: 500,
          code: 'WORKER_CRASHED',
          message: 'the worker died',
          requestId: 'r-2',
        },
        {
          at: '2026-12-06T00:00:01.000Z',
          source: 'prediction',
          replica: 'echo-0',
          status: 422,
          message: 'bad input',
        },
      ]);
    });

    it('answers an empty list for a version never deployed, and 404 VERSION_NOT_FOUND for an unknown one', async () => {
      expect((await read(sut, `${versionUrl('echo', version)}/errors`)).json()).toEqual({
        errors: [],
      });
      const unknown = await read(sut, `${versionUrl('echo', '9.9.9')}/errors`);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('VERSION_NOT_FOUND');
    });
  });

  describe('GET /v1/models/{name}/events', () => {
    let baseUrl: string;
    const opened: OpenedStream[] = [];

    beforeEach(async () => {
      baseUrl = await sut.app.listen();
    });
    afterEach(() => {
      for (const stream of opened.splice(0)) stream.close();
    });

    const open = async (token: string) => {
      const stream = await openStream(`${baseUrl}/v1/models/echo/events`, bearer(token));
      opened.push(stream);
      return stream;
    };
    const models = (stream: OpenedStream): ModelRecord[] =>
      sentEventsOf(stream)
        .filter(({ event }) => event === 'model')
        .map(({ data }) => JSON.parse(data));

    it('sends the model record on connect and again after a change', async () => {
      const stream = await open(VIEWER_TOKEN);
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toContain('text/event-stream');
      await until(() => models(stream).length === 1, 10_000);
      expect(models(stream)[0]).toEqual((await read(sut, '/v1/models/echo')).json());
      expect(models(stream)[0]?.deployments).toEqual([]);

      await deploy(1);

      await until(() => models(stream).some((m) => m.deployments.length === 1), 10_000);
      expect(models(stream).at(-1)).toEqual((await read(sut, '/v1/models/echo')).json());
    });

    it("ends when the caller's token is revoked, and the reconnect gets 401", async () => {
      const stream = await open(VIEWER_TOKEN);
      await until(() => models(stream).length === 1, 10_000);

      sut.authorizer.tokens.delete(VIEWER_TOKEN);

      await until(() => stream.ended, 10_000);
      expect((await open(VIEWER_TOKEN)).status).toBe(401);
    });

    it('answers 404 MODEL_NOT_FOUND, not a stream, for an unknown model', async () => {
      const res = await read(sut, '/v1/models/nope/events');
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('MODEL_NOT_FOUND');
    });
  });
});
