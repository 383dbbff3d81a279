import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';

import { BuildService } from '@ml-run/builder-image-build';
import {
  EXAMPLES,
  exampleZip,
  FakeCommandRunner,
  type ZipFiles,
} from '@ml-run/builder-image-build/testing';
import type { BuildRecord } from '@ml-run/registry-contract';
import { FileRegistryStore } from '@ml-run/registry-store';

import { read } from '../../testing/builder-requests';
import { bearer, WRITER_TOKEN } from '../../testing/fake-authorizer';
import { startTestBuilder, type TestBuilder } from '../../testing/start-test-builder';

const WITH_DEPENDENCIES = {
  'package.json': JSON.stringify({ name: 'echo', dependencies: { 'left-pad': '1.3.0' } }),
};

/** A file store whose build writes take a while, as on a loaded disk, counted while under way. */
class SlowBuildWrites extends FileRegistryStore {
  writing = 0;
  written: BuildRecord[] = [];
  private calls = 0;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    dir: string,
    private readonly delayMs: (call: number) => number,
  ) {
    super(dir);
  }

  override putBuild(record: BuildRecord): Promise<void> {
    const write = this.slowWrite(record);
    this.pending.add(write);
    return write.finally(() => this.pending.delete(write));
  }

  /** Resolves when every write asked for so far has landed. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async slowWrite(record: BuildRecord): Promise<void> {
    this.writing++;
    try {
      await new Promise((resolve) => setTimeout(resolve, this.delayMs(this.calls++)));
      await super.putBuild(record);
      this.written.push(record);
    } finally {
      this.writing--;
    }
  }
}

/** Uploads the echo bundle with a dependency to install (a step a held runner can hold). */
async function upload(sut: TestBuilder, changes: ZipFiles = {}): Promise<LightMyRequestResponse> {
  return sut.app.inject({
    method: 'POST',
    url: '/v1/models',
    headers: { ...bearer(WRITER_TOKEN), 'content-type': 'application/zip' },
    payload: await exampleZip(EXAMPLES.echo, { ...WITH_DEPENDENCIES, ...changes }),
  });
}

describe(BuildService.name, () => {
  it('returns from close() only after the interrupted build stopped writing its record', async () => {
    let store: SlowBuildWrites | undefined;
    const runner = new FakeCommandRunner({ hold: true });
    const sut = await startTestBuilder({
      commands: runner,
      registry: (dataDir) =>
        (store = new SlowBuildWrites(path.join(dataDir, 'registry'), () => 50)),
    });
    const uploaded = await upload(sut);
    expect(uploaded.statusCode).toBe(201);
    await runner.started();
    const { buildId } = uploaded.json();
    expect((await read(sut, `/v1/builds/${buildId}`)).json().state).toBe('running');

    await sut.app.close();
    const writingAfterClose = store?.writing;
    await store?.settled();
    await sut.close();

    expect(writingAfterClose).toBe(0);
  });

  it('stores step records in the order the steps changed, however long each write takes', async () => {
    let store: SlowBuildWrites | undefined;
    const sut = await startTestBuilder({
      commands: new FakeCommandRunner(),
      // Every other write is slow: unordered writes would land an older record last.
      registry: (dataDir) =>
        (store = new SlowBuildWrites(path.join(dataDir, 'registry'), (call) =>
          call % 2 === 0 ? 60 : 0,
        )),
    });
    try {
      const uploaded = await upload(sut);
      const { buildId } = uploaded.json();
      await sut.buildsIdle();
      await store?.settled();

      const progress = (store?.written ?? []).map(
        (record) => record.steps.filter((step) => step.state !== 'pending').length,
      );
      expect(progress.length).toBeGreaterThan(3);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      const stored: BuildRecord = (await read(sut, `/v1/builds/${buildId}`)).json();
      expect(stored.state).toBe('succeeded');
    } finally {
      await sut.close();
    }
  });

  it('runs at most MLRUN_MAX_CONCURRENT_BUILDS builds at once; the rest wait, queued', async () => {
    const runner = new FakeCommandRunner({ hold: true });
    const sut = await startTestBuilder({
      commands: runner,
      settings: { MLRUN_MAX_CONCURRENT_BUILDS: '1' },
    });
    try {
      const uploadAs = async (prefix: string) =>
        (await upload(sut, { 'coefficients/settings.json': JSON.stringify({ prefix }) })).json()
          .buildId;
      const first = await uploadAs('one: ');
      const second = await uploadAs('two: ');
      await runner.started();
      const state = async (id: string) => (await read(sut, `/v1/builds/${id}`)).json().state;
      expect([await state(first), await state(second)]).toEqual(['running', 'queued']);
      runner.finish(0);
      await runner.started();
      expect(await state(second)).toBe('running');
      runner.finish(0);
      await sut.buildsIdle();
      expect([await state(first), await state(second)]).toEqual(['succeeded', 'succeeded']);
    } finally {
      await sut.close();
    }
  });

  it('stops a build that outlives MLRUN_BUILD_TIMEOUT_SECONDS and fails it, saying so', async () => {
    const sut = await startTestBuilder({
      commands: new FakeCommandRunner({ hold: true }),
      settings: { MLRUN_BUILD_TIMEOUT_SECONDS: '1' },
    });
    try {
      const uploaded = await upload(sut);
      const { buildId, version } = uploaded.json();
      await sut.buildsIdle();
      const build: BuildRecord = (await read(sut, `/v1/builds/${buildId}`)).json();
      expect(build.state).toBe('failed');
      expect(build.error).toEqual({
        code: 'BUILD_TIMEOUT',
        message: expect.stringContaining('MLRUN_BUILD_TIMEOUT_SECONDS'),
      });
      const record = (
        await read(sut, `/v1/models/echo/versions/${encodeURIComponent(version)}`)
      ).json();
      expect(record.state).toBe('build_failed');
    } finally {
      await sut.close();
    }
  });
});
