import { PassThrough } from 'node:stream';

import { FakeEngineError } from '../../testing/fake-image-publisher';
import { BuildRun } from './build-run';
import { buildFromContext, engineLogOf, withEngineOutput } from './engine-output';
import type { ImagePublisher } from './image-publisher.port';

const run = () =>
  new BuildRun({
    id: 'b-1',
    name: 'iris',
    version: '1.0.0+aaaaaaaaaaaa',
    state: 'running',
    steps: [],
    log: [],
    createdAt: 'now',
  });

const never = <T>() => new Promise<T>(() => undefined);

describe(withEngineOutput.name, () => {
  it('sends every line to the build log and answers what the call answered', async () => {
    const sut = run();
    const answer = await withEngineOutput(sut, async (onLine) => {
      onLine('Step 1/2 : FROM base');
      return 42;
    });
    expect(answer).toBe(42);
    expect(sut.record.log).toEqual(['Step 1/2 : FROM base']);
  });

  it("logs an error's tail that was not streamed, then rethrows the error", async () => {
    const sut = run();
    const error = new FakeEngineError('push failed', ['denied: requested access']);
    await expect(
      withEngineOutput(sut, async (onLine) => {
        onLine('The push refers to repository [r/x]');
        throw error;
      }),
    ).rejects.toBe(error);
    expect(sut.record.log).toEqual([
      'The push refers to repository [r/x]',
      "the last lines of the engine's output:",
      'denied: requested access',
    ]);
  });

  it('logs nothing more for an error without a log', async () => {
    const sut = run();
    await expect(
      withEngineOutput(sut, () => Promise.reject(new Error('engine gone'))),
    ).rejects.toThrow('engine gone');
    expect(sut.record.log).toEqual([]);
  });
});

describe(engineLogOf.name, () => {
  it('reads the string lines of a log, and nothing from other errors', () => {
    expect(engineLogOf(new FakeEngineError('x', ['a', 'b']))).toEqual(['a', 'b']);
    expect(engineLogOf(Object.assign(new Error('x'), { log: ['a', 3] }))).toEqual(['a']);
    expect(engineLogOf(new Error('x'))).toEqual([]);
    expect(engineLogOf(undefined)).toEqual([]);
  });
});

describe(buildFromContext.name, () => {
  it('fails when the context cannot be read, though the engine never answers', async () => {
    const tar = new PassThrough();
    const publisher: ImagePublisher = { build: () => never(), push: () => never() };
    const built = buildFromContext(publisher, tar, 'r/x:1', () => undefined);
    tar.destroy(new Error('size mismatch'));
    await expect(built).rejects.toThrow('the build context could not be read: size mismatch');
  });

  it("answers the engine's image id", async () => {
    const publisher: ImagePublisher = {
      build: async () => ({ imageId: 'sha256:abc' }),
      push: () => never(),
    };
    await expect(
      buildFromContext(publisher, new PassThrough(), 'r/x:1', () => undefined),
    ).resolves.toEqual({ imageId: 'sha256:abc' });
  });
});
