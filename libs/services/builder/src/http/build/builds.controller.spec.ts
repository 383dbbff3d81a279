import { until } from '@ml-run/async/testing';
import { BuildsController } from '@ml-run/builder-image-build';
import {
  EXAMPLES,
  exampleZip,
  FakeCommandRunner,
  type ZipFiles,
} from '@ml-run/builder-image-build/testing';
import type { BuildProgressEvent, BuildRecord, UploadResponse } from '@ml-run/registry-contract';
import {
  heartbeatsOf,
  openStream,
  SCRAPER,
  sentEventsOf,
  type OpenedStream,
} from '@ml-run/server/testing';

import { read, versionUrl } from '../../testing/builder-requests';
import { bearer, VIEWER_TOKEN, WRITER_TOKEN } from '../../testing/fake-authorizer';
import { startTestBuilder, type TestBuilder } from '../../testing/start-test-builder';

const WITH_DEPENDENCIES = {
  'package.json': JSON.stringify({ name: 'echo', dependencies: { 'left-pad': '1.3.0' } }),
};

type SseEvent = { event: string; data: BuildProgressEvent };

const parseSse = (body: string): SseEvent[] =>
  sentEventsOf(body).map(({ event, data }) => ({ event, data: JSON.parse(data) }));

const described = (events: SseEvent[]) =>
  events.map(({ event, data }) =>
    data.type === 'step'
      ? `${event} ${data.step.name}:${data.step.state}`
      : data.type === 'log'
        ? `${event} ${data.line}`
        : event,
  );

describe(BuildsController.name, () => {
  let sut: TestBuilder;
  let runner: FakeCommandRunner;

  beforeEach(async () => {
    runner = new FakeCommandRunner({ hold: true });
    sut = await startTestBuilder({ commands: runner });
  });
  afterEach(() => sut.close());

  async function startUpload(
    changes: ZipFiles = WITH_DEPENDENCIES,
    status = 201,
  ): Promise<UploadResponse> {
    const res = await sut.app.inject({
      method: 'POST',
      url: '/v1/models',
      headers: { ...bearer(WRITER_TOKEN), 'content-type': 'application/zip' },
      payload: await exampleZip(EXAMPLES.echo, changes),
    });
    expect(res.statusCode).toBe(status);
    return res.json();
  }

  const events = (id: string) =>
    sut.app.inject({
      method: 'GET',
      url: `/v1/builds/${id}/events`,
      headers: bearer(VIEWER_TOKEN),
    });

  it('streams the steps so far, then live progress, and ends after done', async () => {
    const { buildId } = await startUpload();
    await runner.started();
    const stream = events(buildId);
    await new Promise((resolve) => setTimeout(resolve, 20));
    runner.finish(0, ['added 1 package']);
    const res = await stream;
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(described(parseSse(res.body))).toEqual([
      'step validate:done',
      'step store:done',
      'step unpack:done',
      'step dependencies:running',
      'log added 1 package',
      'step dependencies:done',
      'step image:running',
      'step image:skipped',
      'step push:running',
      'step push:skipped',
      'done',
    ]);
    const done = parseSse(res.body).at(-1)?.data;
    expect(done).toMatchObject({ type: 'done', build: { id: buildId, state: 'succeeded' } });
  });

  it('replays a finished build and its done event', async () => {
    const { buildId } = await startUpload({});
    await sut.buildsIdle();
    const res = await events(buildId);
    expect(described(parseSse(res.body))).toEqual([
      'step validate:done',
      'step store:done',
      'step unpack:done',
      'step dependencies:skipped',
      'step image:skipped',
      'step push:skipped',
      'done',
    ]);
  });

  it('runs npm install without scripts for node dependencies and keeps its output in the log', async () => {
    const { buildId } = await startUpload();
    const spec = await runner.started();
    expect([spec.command, ...spec.args]).toEqual([
      'npm',
      'install',
      '--omit=dev',
      '--no-audit',
      '--no-fund',
      '--no-update-notifier',
      '--ignore-scripts',
      '--cache',
      expect.stringMatching(/\/home\/\.npm$/),
    ]);
    // A staging copy of the dependency files, not the bundle the builder keeps.
    expect(spec.cwd).not.toMatch(new RegExp(`^${sut.dataDir}`));
    runner.finish(0, ['added 1 package in 1s']);
    await sut.buildsIdle();
    const build: BuildRecord = (await read(sut, `/v1/builds/${buildId}`)).json();
    expect(build.log).toEqual([
      `$ ${[spec.command, ...spec.args].join(' ')}`,
      'added 1 package in 1s',
    ]);
  });

  it('fails the build when the install fails, and says so in the version and the events', async () => {
    const { buildId, version } = await startUpload();
    await runner.started();
    runner.finish(1, ['npm ERR! 404 Not Found - left-pad']);
    await sut.buildsIdle();
    const build: BuildRecord = (await read(sut, `/v1/builds/${buildId}`)).json();
    expect(build).toMatchObject({
      state: 'failed',
      error: {
        code: 'DEPENDENCIES_FAILED',
        message: expect.stringContaining('exited with code 1'),
      },
    });
    expect(build.steps.map((s) => s.state)).toEqual([
      'done',
      'done',
      'done',
      'failed',
      'pending',
      'pending',
    ]);
    expect((await read(sut, versionUrl('echo', version))).json().state).toBe('build_failed');
    expect(sut.events.at(-1)).toMatchObject({
      type: 'build.failed',
      buildId,
      error: { code: 'DEPENDENCIES_FAILED' },
    });
  });

  it('builds a failed version again when it is uploaded again', async () => {
    const first = await startUpload();
    await runner.started();
    runner.finish(1);
    await sut.buildsIdle();
    const again = await startUpload(WITH_DEPENDENCIES, 200);
    expect(again).toMatchObject({ version: first.version, created: false });
    expect(again.buildId).not.toBe(first.buildId);
    await runner.started();
    runner.finish(0);
    await sut.buildsIdle();
    expect((await read(sut, versionUrl('echo', first.version))).json().state).toBe('built');
  });

  it('resumes a build the sut was stopped in', async () => {
    const { buildId, version } = await startUpload();
    await runner.started();
    sut = await sut.restart();
    expect((await read(sut, `/v1/builds/${buildId}`)).json().state).not.toBe('failed');
    await runner.started();
    runner.finish(0);
    await sut.buildsIdle();
    expect((await read(sut, versionUrl('echo', version))).json().state).toBe('built');
  });

  it('answers a build being run with its live record', async () => {
    const { buildId } = await startUpload();
    await runner.started();
    const res = await read(sut, `/v1/builds/${buildId}`);
    expect(res.json()).toMatchObject({ id: buildId, state: 'running' });
    expect(res.json().steps[3]).toMatchObject({ name: 'dependencies', state: 'running' });
    runner.finish(0);
    await sut.buildsIdle();
  });

  it('counts builds and their duration', async () => {
    await startUpload({});
    await sut.buildsIdle();
    const metrics = (await sut.app.inject({ method: 'GET', url: '/metrics', headers: SCRAPER }))
      .body;
    expect(metrics).toMatch(
      /mlrun_build_duration_seconds_count\{service="builder",result="succeeded"\} 1/,
    );
  });
});

// A token holder opening build event streams until the builder runs out of sockets; and a
// stream of a quiet build (pip at work) cut by the request timeout.
describe(`${BuildsController.name} stream limits`, () => {
  const REQUEST_TIMEOUT_MS = 200;
  let sut: TestBuilder;
  let runner: FakeCommandRunner;
  let baseUrl: string;
  let buildId: string;
  const opened: OpenedStream[] = [];

  beforeEach(async () => {
    runner = new FakeCommandRunner({ hold: true });
    sut = await startTestBuilder({
      commands: runner,
      settings: {
        MLRUN_MAX_STREAMS_PER_CREDENTIAL: '2',
        MLRUN_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
        MLRUN_STREAM_HEARTBEAT_MS: '100',
      },
    });
    baseUrl = await sut.app.listen();
    const upload = await sut.app.inject({
      method: 'POST',
      url: '/v1/models',
      headers: { ...bearer(WRITER_TOKEN), 'content-type': 'application/zip' },
      payload: await exampleZip(EXAMPLES.echo, WITH_DEPENDENCIES),
    });
    buildId = upload.json().buildId;
    await runner.started();
  });
  afterEach(async () => {
    for (const stream of opened.splice(0)) stream.close();
    runner.finish(0);
    await sut.buildsIdle();
    await sut.close();
  });

  const open = async (token: string) => {
    const stream = await openStream(`${baseUrl}/v1/builds/${buildId}/events`, bearer(token));
    opened.push(stream);
    return stream;
  };

  it('answers 429 with Retry-After past MLRUN_MAX_STREAMS_PER_CREDENTIAL, for that token only, until one closes', async () => {
    const first = await open(VIEWER_TOKEN);
    await open(VIEWER_TOKEN);
    const refused = await open(VIEWER_TOKEN);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('5');
    await until(() => refused.ended, 10_000);
    expect(JSON.parse(refused.chunks.join(''))).toMatchObject({ code: 'TOO_MANY_STREAMS' });
    expect((await open(WRITER_TOKEN)).status).toBe(200);
    first.close();
    await until(() => first.ended, 10_000);
    // The slot is given back when the server sees the close: poll until a new one is let in.
    let again = await open(VIEWER_TOKEN);
    for (let tries = 0; again.status === 429 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await open(VIEWER_TOKEN);
    }
    expect(again.status).toBe(200);
  });

  it('keeps a quiet build’s stream open past MLRUN_REQUEST_TIMEOUT_MS, sending heartbeats', async () => {
    const started = Date.now();
    const stream = await open(VIEWER_TOKEN);
    await until(
      () => heartbeatsOf(stream) >= 3 && Date.now() - started > 3 * REQUEST_TIMEOUT_MS,
      10_000,
    );
    expect(stream.status).toBe(200);
    expect(stream.ended).toBe(false);
  });

  // A stream must not outlive the token that opened it: the console's reconnect then meets
  // the 401 and asks to sign in again.
  it("ends a running build's stream once its caller's token is revoked", async () => {
    const stream = await open(VIEWER_TOKEN);
    await until(() => heartbeatsOf(stream) >= 1, 10_000);
    expect(stream.ended).toBe(false);

    sut.authorizer.tokens.delete(VIEWER_TOKEN);

    await until(() => stream.ended, 10_000);
    expect((await open(VIEWER_TOKEN)).status).toBe(401);
  });
});
