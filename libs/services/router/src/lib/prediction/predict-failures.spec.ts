import { connect, type Socket } from 'node:net';

import { until } from '@ml-run/async/testing';
import { SCRAPER } from '@ml-run/server/testing';

import { FakeUpstream, startFakeUpstreams } from '../../testing/fake-upstream';
import {
  aliasOf,
  CALLER,
  routesOf,
  startTestRouter,
  type TestRouter,
} from '../../testing/start-test-router';

const V1 = '1.0.0+aaaaaaaaaaaa';
const PREDICT = '/v1/models/iris/predict';

describe('predict routes, when replicas fail', () => {
  let replicas: FakeUpstream[];
  let sut: TestRouter;

  let logLines: string[];

  async function startRouter(count: number, settings: Record<string, string> = {}): Promise<void> {
    logLines = [];
    replicas = await startFakeUpstreams(...['a', 'b', 'c'].slice(0, count));
    const routes = routesOf({
      iris: {
        versions: { [V1]: replicas.map((r) => r.url) },
        aliases: { stable: aliasOf([V1, 100]) },
      },
    });
    sut = await startTestRouter({ routes, settings, logLines });
  }

  const predict = (payload = 'x') =>
    sut.app.inject({ method: 'POST', url: PREDICT, payload, headers: CALLER });
  const metrics = async () =>
    (await sut.app.inject({ method: 'GET', url: '/metrics', headers: SCRAPER })).body;

  afterEach(async () => {
    await sut.app.close();
    await Promise.all(replicas.map((replica) => replica.kill()));
  });

  describe('limits', () => {
    it('answers 429 with Retry-After past MLRUN_MAX_INFLIGHT, and frees the place after', async () => {
      await startRouter(1, { MLRUN_MAX_INFLIGHT: '1' });
      const slow = predict('sleep:2000');
      await until(() => (replicas[0]?.seen.length ?? 0) === 1);
      const refused = await predict();
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.json().code).toBe('TOO_MANY_REQUESTS');
      expect((await slow).statusCode).toBe(200);
      expect((await predict()).statusCode).toBe(200);
    });

    it('answers 502 for an answer whose length is over MLRUN_MAX_ANSWER_BYTES', async () => {
      await startRouter(1, { MLRUN_MAX_ANSWER_BYTES: '16' });
      const big = 'z'.repeat(64);
      if (replicas[0]) replicas[0].handler = () => ({ status: 200, body: big });
      const res = await predict();
      expect(res.statusCode).toBe(502);
      expect(res.json().message).toContain('MLRUN_MAX_ANSWER_BYTES');
    });

    it('answers 502 for a chunked answer over MLRUN_MAX_ANSWER_BYTES before a byte is passed on', async () => {
      await startRouter(1, { MLRUN_MAX_ANSWER_BYTES: '1024' });
      const big = 'z'.repeat(64 * 1024);
      if (replicas[0]) replicas[0].handler = () => ({ status: 200, body: big, chunked: true });
      const res = await predict();
      expect(res.statusCode).toBe(502);
      expect(res.json().message).toContain('MLRUN_MAX_ANSWER_BYTES');
    });

    it('cuts a chunked answer that outgrows MLRUN_MAX_ANSWER_BYTES once passed on, ending the connection', async () => {
      await startRouter(1, { MLRUN_MAX_ANSWER_BYTES: '1500' });
      const body = 'z'.repeat(2000);
      if (replicas[0]) replicas[0].handler = () => ({ status: 200, body, chunked: true });
      const url = await sut.app.listen();
      const res = await fetch(`${url}${PREDICT}`, { method: 'POST', headers: CALLER, body: 'x' });
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow();
    });
  });

  describe('streaming', () => {
    const sockets: Socket[] = [];
    // Before the router closes: an open connection would hold its close() up.
    afterEach(() => sockets.splice(0).forEach((socket) => socket.destroy()));

    // A raw connection to the listening router: headers now, the body when the test says.
    async function openPredict(
      headers: string,
    ): Promise<{ socket: Socket; reply: Promise<string> }> {
      const { port } = new URL(await sut.app.listen());
      const socket = connect(Number(port), '127.0.0.1');
      sockets.push(socket);
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString()));
      const reply = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
      socket.write(
        `POST ${PREDICT} HTTP/1.1\r\nHost: x\r\nAuthorization: ${CALLER.authorization}\r\n` +
          `Content-Type: text/plain\r\n${headers}\r\n`,
      );
      return { socket, reply };
    }

    const chunk = (text: string) => `${text.length.toString(16)}\r\n${text}\r\n`;

    it('passes a body to the replica while the caller is still sending it', async () => {
      await startRouter(1);
      const { socket, reply } = await openPredict(
        'Transfer-Encoding: chunked\r\nConnection: close\r\n',
      );
      socket.write(chunk('first '));
      await until(() => replicas[0]?.arrived === 1);
      expect(replicas[0]?.seen).toHaveLength(0);
      socket.write(`${chunk('second')}0\r\n\r\n`);
      expect(await reply).toMatch(/^HTTP\/1\.1 200 [\s\S]*"body":"first second"/);
    });

    it('refuses a chunked body over MLRUN_MAX_BODY_BYTES with 413, and the replica never gets it whole', async () => {
      await startRouter(1, { MLRUN_MAX_BODY_BYTES: '1024' });
      const { socket, reply } = await openPredict('Transfer-Encoding: chunked\r\n');
      socket.write(chunk('y'.repeat(1000)));
      await until(() => replicas[0]?.arrived === 1);
      socket.write(chunk('y'.repeat(1000)));
      const answer = await reply;
      expect(answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer).toContain('PAYLOAD_TOO_LARGE');
      expect(answer).toContain('MLRUN_MAX_BODY_BYTES');
      await until(() => replicas[0]?.aborted === 1);
      expect(replicas[0]?.seen).toHaveLength(0);
    });

    it("passes on a replica's refusal at once and closes the connection, without waiting for the rest of the body", async () => {
      await startRouter(1);
      const refusal = { code: 'INVALID_TOKEN', message: 'not a token this platform issued' };
      replicas[0]!.refusal = { status: 401, body: JSON.stringify(refusal) };
      // Ten bytes of a promised megabyte, then nothing: only closing ends this before the
      // request timeout (30 s).
      const { socket, reply } = await openPredict('Content-Length: 1048576\r\n');
      socket.write('0123456789');
      const answer = await reply;
      expect(answer).toMatch(/^HTTP\/1\.1 401 /);
      expect(answer).toContain('INVALID_TOKEN');
    });

    it('answers 408 and closes the connection of a caller sending its body a byte at a time, and frees its place', async () => {
      await startRouter(1, { MLRUN_REQUEST_TIMEOUT_MS: '400', MLRUN_MAX_INFLIGHT: '1' });
      const { socket, reply } = await openPredict('Content-Length: 100\r\n');
      const drip = setInterval(() => socket.writable && socket.write('x'), 100);
      try {
        expect(await reply).toMatch(/^HTTP\/1\.1 408 /);
      } finally {
        clearInterval(drip);
      }
      await until(() => replicas[0]?.aborted === 1);
      expect(replicas[0]?.seen).toHaveLength(0);
      const next = await predict();
      expect(next.statusCode).toBe(200);
    });
  });

  describe('balancing', () => {
    beforeEach(() => startRouter(2));

    it('sends new requests to the replica with the fewest outstanding', async () => {
      const [a, b] = replicas;
      const slow = predict('sleep:2000');
      await until(() => a.seen.length === 1);
      const quick = [await predict(), await predict()].map((res) => res.json().servedBy);
      expect(quick).toEqual(['b', 'b']);
      expect((await slow).json().servedBy).toBe('a');
      expect(b.seen).toHaveLength(2);
    });

    it('spreads sequential requests round-robin', async () => {
      const served = [];
      for (let i = 0; i < 4; i++) served.push((await predict()).json().servedBy);
      expect(served).toEqual(['a', 'b', 'a', 'b']);
    });
  });

  describe('when replicas fail', () => {
    it('retries a request to a killed replica on another, then leaves the killed one out', async () => {
      await startRouter(2);
      const [a, b] = replicas;
      await a.kill();
      const first = await predict();
      expect(first.statusCode).toBe(200);
      expect(first.json().servedBy).toBe('b');
      const next = [await predict(), await predict()].map((res) => res.json().servedBy);
      expect(next).toEqual(['b', 'b']);
      expect(b.seen).toHaveLength(3);
      expect(await metrics()).toMatch(
        /mlrun_router_retries_total\{model="iris",service="router"\} 1\n/,
      );
    });

    it('names the version and the replicas tried on the request log line', async () => {
      await startRouter(2, { MLRUN_LOG_LEVEL: 'info' });
      const [a, b] = replicas;
      await a.kill();
      await predict();
      const completed = logLines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((line) => line['msg'] === 'request completed');
      expect(completed).toMatchObject({
        status: 200,
        model: 'iris',
        version: V1,
        upstream: b.url,
        retriedFrom: a.url,
        requestId: expect.any(String),
      });
    });

    it('answers 502 UPSTREAM_FAILED when the retry fails too, then 503 while both cool down', async () => {
      await startRouter(2);
      await Promise.all(replicas.map((replica) => replica.kill()));
      const res = await predict();
      expect(res.statusCode).toBe(502);
      expect(res.json()).toEqual({
        code: 'UPSTREAM_FAILED',
        message: `iris@${V1}: two of its replicas could not be reached; retry later`,
      });
      const cooling = await predict();
      expect(cooling.statusCode).toBe(503);
      expect(cooling.headers['retry-after']).toBe('1');
      expect(cooling.json().message).toContain('failed to connect in the last 2 s');
    });

    it('answers 502 at once when the only replica cannot be reached', async () => {
      await startRouter(1);
      await replicas[0].kill();
      const res = await predict();
      expect(res.statusCode).toBe(502);
      expect(res.json().message).toContain('no other one is ready');
    });

    it('answers 504 UPSTREAM_TIMEOUT and does not retry a replica that took the request', async () => {
      await startRouter(2, { MLRUN_UPSTREAM_TIMEOUT_MS: '200' });
      const [a, b] = replicas;
      const res = await predict('sleep:1000');
      expect(res.statusCode).toBe(504);
      expect(res.json()).toEqual({
        code: 'UPSTREAM_TIMEOUT',
        message: `iris@${V1} did not answer within 200 ms (MLRUN_UPSTREAM_TIMEOUT_MS)`,
      });
      expect(a.seen.length + b.seen.length).toBe(1);
    });
  });

  describe('metrics', () => {
    it('counts requests by model and status, upstream time and ready endpoints', async () => {
      await startRouter(2);
      await predict();
      await sut.app.inject({ method: 'POST', url: '/v1/models/rose/predict', headers: CALLER });
      const text = await metrics();
      expect(text).toMatch(
        /mlrun_router_requests_total\{model="iris",status="200",service="router"\} 1\n/,
      );
      expect(text).toMatch(
        /mlrun_router_requests_total\{model="\(unknown\)",status="404",service="router"\} 1\n/,
      );
      expect(text).toMatch(
        /mlrun_router_upstream_duration_seconds_count\{[^}]*model="iris"[^}]*\} 1\n/,
      );
      expect(text).toMatch(/mlrun_router_routes\{service="router"\} 2\n/);
      expect(text).toContain(
        `mlrun_router_inflight{model="iris",version="${V1}",service="router"} 0`,
      );
    });
  });
});
