import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { ImageSteps, type ImagePublisher } from '@ml-run/builder-image-build';
import {
  EXAMPLES,
  exampleZip,
  FakeCommandRunner,
  FakeEngineError,
  FakeImagePublisher,
  type FakeImagePublisherOptions,
  type ZipFiles,
} from '@ml-run/builder-image-build/testing';
import type { DockerImages } from '@ml-run/docker';
import type {
  BuildProgressEvent,
  BuildRecord,
  ModelVersionRecord,
  UploadResponse,
} from '@ml-run/registry-contract';
import { sentEventsOf } from '@ml-run/server/testing';

import { read, versionUrl, write } from '../../testing/builder-requests';
import { bearer, VIEWER_TOKEN, WRITER_TOKEN } from '../../testing/fake-authorizer';
import { startTestBuilder, type TestBuilder } from '../../testing/start-test-builder';

const REGISTRY = '127.0.0.1:5000';
const BASE_IMAGE = `${REGISTRY}/ml-run/base:0123456789ab`;
const NO_IMAGE = 'the process target runs the unpacked bundle: no image';
const WITH_DEPENDENCIES = {
  'package.json': JSON.stringify({ name: 'echo', dependencies: { 'left-pad': '1.3.0' } }),
};

const tagOf = (version: string) => `${REGISTRY}/ml-run/echo:${version.replace('+', '_')}`;

const sseEvents = (body: string): BuildProgressEvent[] =>
  sentEventsOf(body).map(({ data }) => JSON.parse(data));

const described = (events: BuildProgressEvent[]) =>
  events.map((event) =>
    event.type === 'step'
      ? `${event.step.name}:${event.step.state}`
      : event.type === 'log'
        ? `log ${event.line}`
        : event.type,
  );

describe(ImageSteps.name, () => {
  let sut: TestBuilder | undefined;
  let wrapperDir: string;
  let npmDir: string;

  beforeEach(async () => {
    wrapperDir = await mkdtemp(path.join(os.tmpdir(), 'wrapper-build-'));
    await writeFile(path.join(wrapperDir, 'main.js'), 'require("./wrapper")\n');
    await writeFile(path.join(wrapperDir, 'mlrun_worker.py'), 'print("worker")\n');
    await writeFile(path.join(wrapperDir, 'mlrun-node-worker.js'), '// worker\n');
    npmDir = await mkdtemp(path.join(os.tmpdir(), 'npm-'));
    await mkdir(path.join(npmDir, 'bin'));
    await writeFile(path.join(npmDir, 'bin', 'npm-cli.js'), '// npm\n');
  });
  afterEach(async () => {
    await sut?.close();
    sut = undefined;
    await rm(wrapperDir, { recursive: true, force: true });
    await rm(npmDir, { recursive: true, force: true });
  });

  async function start(
    publisher: FakeImagePublisher | undefined,
    commands = new FakeCommandRunner(),
    wrapper = wrapperDir,
  ): Promise<TestBuilder> {
    const images = publisher && {
      publisher,
      registry: REGISTRY,
      baseImage: BASE_IMAGE,
      wrapperDir: wrapper,
      npmDir,
    };
    sut = await startTestBuilder({ commands, images });
    return sut;
  }

  async function upload(builder: TestBuilder, changes: ZipFiles = {}): Promise<UploadResponse> {
    const res = await builder.app.inject({
      method: 'POST',
      url: '/v1/models',
      headers: { ...bearer(WRITER_TOKEN), 'content-type': 'application/zip' },
      payload: await exampleZip(EXAMPLES.echo, changes),
    });
    expect(res.statusCode).toBe(201);
    return res.json();
  }

  async function built(builder: TestBuilder, changes: ZipFiles = {}) {
    const { buildId, version } = await upload(builder, changes);
    await builder.buildsIdle();
    const build: BuildRecord = (await read(builder, `/v1/builds/${buildId}`)).json();
    const record: ModelVersionRecord = (await read(builder, versionUrl('echo', version))).json();
    return { buildId, version, build, record };
  }

  const leftovers = (builder: TestBuilder, version: string) =>
    readdir(path.join(builder.dataDir, 'models', 'echo', version));

  it('is what DockerImages from @ml-run/docker implements', () => {
    const fits = (images: DockerImages): ImagePublisher => images;
    expect(fits).toBeInstanceOf(Function);
  });

  it("builds, then pushes, after the dependencies, streaming Docker's lines", async () => {
    const publisher = new FakeImagePublisher({
      buildOutput: ['Step 1/9 : FROM base', 'Successfully built 0f9a'],
      pushOutput: ['0f9a: Pushed'],
    });
    const runner = new FakeCommandRunner({ hold: true });
    const builder = await start(publisher, runner);
    const { buildId, version } = await upload(builder, WITH_DEPENDENCIES);
    await runner.started();
    const stream = builder.app.inject({
      method: 'GET',
      url: `/v1/builds/${buildId}/events`,
      headers: bearer(VIEWER_TOKEN),
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    runner.finish(0, ['added 1 package']);
    const tag = tagOf(version);
    const fetchTag = `ml-run-deps/echo:${version.replace('+', '_')}`;
    expect(described(sseEvents((await stream).body))).toEqual([
      'validate:done',
      'store:done',
      'unpack:done',
      'dependencies:running',
      'log added 1 package',
      'dependencies:done',
      'image:running',
      `log $ docker build --network host --tag ${fetchTag} .`,
      'log Step 1/9 : FROM base',
      'log Successfully built 0f9a',
      `log $ docker build --network none --tag ${tag} .`,
      'log Step 1/9 : FROM base',
      'log Successfully built 0f9a',
      'image:done',
      'push:running',
      `log $ docker push ${tag}`,
      'log 0f9a: Pushed',
      'log pushed 1 of 7 layers: 1.4 kB of 84.1 MB (compressed)',
      'push:done',
      'done',
    ]);
    expect(publisher.calls).toEqual([`build ${fetchTag}`, `build ${tag}`, `push ${tag}`]);
    expect(publisher.builds.map((b) => b.network)).toEqual(['host', 'none']);
  });

  it('fetches with network from the dependency files alone, then builds the image with none', async () => {
    const publisher = new FakeImagePublisher();
    const builder = await start(publisher);
    const { version } = await built(builder, WITH_DEPENDENCIES);
    const [fetch, image] = publisher.builds;
    const fetchTag = `ml-run-deps/echo:${version.replace('+', '_')}`;
    expect(fetch?.tag).toBe(fetchTag);
    expect([...(fetch?.files.keys() ?? [])].sort()).toEqual([
      'Dockerfile',
      'model/package.json',
      'npm/bin/npm-cli.js',
    ]);
    expect(fetch?.files.get('Dockerfile')).toContain('--ignore-scripts');
    expect(image?.files.get('Dockerfile')).toContain(`\nFROM ${fetchTag} AS deps\n`);
    expect(image?.network).toBe('none');
  });

  it('keeps the engine output in the build log and names the image in the steps', async () => {
    const publisher = new FakeImagePublisher({ buildOutput: ['Step 1/9 : FROM base'] });
    const builder = await start(publisher);
    const { version, build } = await built(builder);
    const tag = tagOf(version);
    expect(build.state).toBe('succeeded');
    expect(build.log).toEqual([
      `$ docker build --network none --tag ${tag} .`,
      'Step 1/9 : FROM base',
      `$ docker push ${tag}`,
      'pushed 1 of 7 layers: 1.4 kB of 84.1 MB (compressed)',
    ]);
    const step = (name: string) => build.steps.find((s) => s.name === name);
    expect(step('image')).toMatchObject({ state: 'done', message: expect.stringContaining(tag) });
    expect(step('push')).toMatchObject({
      state: 'done',
      message: `${REGISTRY}/ml-run/echo@${FakeImagePublisher.digestOf(tag)}`,
    });
  });

  it('records the pushed image on the version and publishes image.pushed', async () => {
    const builder = await start(new FakeImagePublisher());
    const { buildId, version, record } = await built(builder);
    const digest = FakeImagePublisher.digestOf(tagOf(version));
    const reference = `${REGISTRY}/ml-run/echo@${digest}`;
    expect(record).toMatchObject({
      state: 'built',
      image: {
        reference,
        tag: tagOf(version),
        digest,
        size: 1234,
        upload: FakeImagePublisher.upload,
        pushedAt: expect.any(String),
      },
    });
    expect(builder.events.map((event) => event.type)).toEqual([
      'model.uploaded',
      'build.started',
      'image.pushed',
      'build.succeeded',
    ]);
    expect(builder.events[2]).toEqual({
      type: 'image.pushed',
      name: 'echo',
      version,
      buildId,
      image: reference,
      digest,
      at: expect.any(String),
    });
  });

  it('deploys the pushed image: the deployer gets its repository@digest', async () => {
    const builder = await start(new FakeImagePublisher());
    const { version } = await built(builder);
    const res = await write(builder, 'POST', `${versionUrl('echo', version)}/deployment`, {
      replicas: 1,
    });
    expect(res.statusCode).toBe(200);
    expect(builder.deployer.deployed.at(-1)?.image).toBe(
      `${REGISTRY}/ml-run/echo@${FakeImagePublisher.digestOf(tagOf(version))}`,
    );
  });

  it('builds from a fresh unpack: what the dependency step installed stays out', async () => {
    const publisher = new FakeImagePublisher();
    const runner = new FakeCommandRunner({ hold: true });
    const builder = await start(publisher, runner);
    const { version } = await upload(builder, WITH_DEPENDENCIES);
    const install = await runner.started();
    await mkdir(path.join(install.cwd, 'node_modules', 'left-pad'), { recursive: true });
    await writeFile(path.join(install.cwd, 'node_modules', 'left-pad', 'index.js'), 'x');
    runner.finish(0);
    await builder.buildsIdle();
    const files = publisher.builds[1]?.files ?? new Map<string, string>();
    expect([...files.keys()].filter((name) => name.includes('node_modules'))).toEqual([]);
    expect(files.get('Dockerfile')).toContain(`\nFROM ${BASE_IMAGE}\n`);
    expect(files.get('Dockerfile')).toContain(`run.ml.version="${version}"`);
    expect(files.get('wrapper/main.js')).toBe('require("./wrapper")\n');
    expect(files.has('model/model.js')).toBe(true);
    expect(files.has('model/package.json')).toBe(true);
    expect(await leftovers(builder, version)).toEqual(['bundle']);
  });

  it("fails the build with IMAGE_FAILED and Docker's reason, logging its output's tail", async () => {
    const tail = ['Step 2/9 : COPY wrapper/ /opt/ml-run/wrapper/', 'error: COPY failed'];
    const publisher = new FakeImagePublisher({
      buildFailure: new FakeEngineError('building x failed: COPY failed: no such file', tail),
    });
    const builder = await start(publisher);
    const { version, build, record } = await built(builder);
    expect(build).toMatchObject({
      state: 'failed',
      error: { code: 'IMAGE_FAILED', message: 'building x failed: COPY failed: no such file' },
    });
    expect(build.log.slice(-3)).toEqual(["the last lines of the engine's output:", ...tail]);
    expect(build.steps.map((s) => `${s.name}:${s.state}`).slice(-2)).toEqual([
      'image:failed',
      'push:pending',
    ]);
    expect(record.state).toBe('build_failed');
    expect(record.image).toBeUndefined();
    expect(publisher.pushes).toEqual([]);
    expect(builder.events.map((event) => event.type)).not.toContain('image.pushed');
    expect(builder.events.at(-1)).toMatchObject({
      type: 'build.failed',
      error: { code: 'IMAGE_FAILED' },
    });
    expect(await leftovers(builder, version)).toEqual(['bundle']);
  });

  it('does not log the tail again when Docker streamed it already', async () => {
    const tail = ['Step 2/9 : RUN false', 'error: exit code 1'];
    const publisher = new FakeImagePublisher({
      buildOutput: tail,
      buildFailure: new FakeEngineError('building x failed: exit code 1', tail),
    });
    const { version, build } = await built(await start(publisher));
    expect(build.log).toEqual([`$ docker build --network none --tag ${tagOf(version)} .`, ...tail]);
  });

  it('fails the build with PUSH_FAILED when the push fails, and records no image', async () => {
    const options: FakeImagePublisherOptions = {
      pushFailure: new FakeEngineError('pushing x failed: connection refused', [
        'The push refers to repository [127.0.0.1:5000/ml-run/echo]',
      ]),
    };
    const builder = await start(new FakeImagePublisher(options));
    const { build, record } = await built(builder);
    expect(build.error).toEqual({
      code: 'PUSH_FAILED',
      message: 'pushing x failed: connection refused',
    });
    expect(build.log.at(-1)).toBe('The push refers to repository [127.0.0.1:5000/ml-run/echo]');
    expect(record).toMatchObject({ state: 'build_failed' });
    expect(record.image).toBeUndefined();
    expect(builder.events.map((event) => event.type)).not.toContain('image.pushed');
  });

  it('cancels a Docker build under way when the builder shuts down', async () => {
    const publisher = new FakeImagePublisher({ holdBuilds: true });
    const builder = await start(publisher);
    const { buildId } = await upload(builder);
    while (publisher.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const build: BuildRecord = (await read(builder, `/v1/builds/${buildId}`)).json();
    expect(build.state).toBe('running');

    await builder.close();
    sut = undefined;
    expect(publisher.cancelled).toHaveLength(1);
    expect(publisher.pushes).toEqual([]);
  });

  it('fails the image step, building nothing, when the model-wrapper build is missing', async () => {
    const publisher = new FakeImagePublisher();
    const builder = await start(publisher, undefined, path.join(wrapperDir, 'nowhere'));
    const { build } = await built(builder);
    expect(build.error).toMatchObject({
      code: 'IMAGE_FAILED',
      message: expect.stringContaining('nowhere/main.js'),
    });
    expect(publisher.calls).toEqual([]);
  });

  it("fails the image step, building nothing, when the build lacks the node model's worker", async () => {
    await rm(path.join(wrapperDir, 'mlrun-node-worker.js'));
    const publisher = new FakeImagePublisher();
    const builder = await start(publisher);
    const { build, record } = await built(builder);
    expect(record.runtime).toBe('node');
    expect(build.error).toMatchObject({
      code: 'IMAGE_FAILED',
      message: expect.stringContaining(`${wrapperDir}/mlrun-node-worker.js`),
    });
    expect(publisher.calls).toEqual([]);
  });

  it('skips the image and push steps, as before, without image publishing', async () => {
    const builder = await start(undefined);
    const { version, build, record } = await built(builder);
    expect(build.steps.slice(-2)).toEqual([
      expect.objectContaining({ name: 'image', state: 'skipped', message: NO_IMAGE }),
      expect.objectContaining({ name: 'push', state: 'skipped', message: NO_IMAGE }),
    ]);
    expect(record).toMatchObject({ state: 'built' });
    expect(record.image).toBeUndefined();
    expect(await leftovers(builder, version)).toEqual(['bundle']);
  });

  it("documents the version's image in the OpenAPI document", async () => {
    const builder = await start(undefined);
    const { components } = (await builder.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(components.schemas.ModelVersionDto.properties.image).toBeDefined();
    expect(components.schemas.ModelVersionDto.required).not.toContain('image');
    expect(components.schemas.ModelImageDto.required).toEqual(
      expect.arrayContaining(['reference', 'tag', 'digest', 'size', 'pushedAt']),
    );
  });
});
