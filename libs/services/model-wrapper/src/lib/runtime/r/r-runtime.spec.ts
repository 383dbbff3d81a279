import * as path from 'node:path';

import { until } from '@ml-run/async/testing';

import { failure } from '../../../testing/async-checks';
import { recordingLogger } from '../../../testing/recording-logger';
import { RuntimeErrorCode } from '../runtime.errors';
import type { WorkerPool } from '../worker/worker-pool';
import { rRuntime, type RRuntimeOptions } from './r-runtime';

// Needs Debian's R on this machine: tools/services/r/up.sh (CI runs it before the unit tests).
const FIXTURES = path.resolve(__dirname, '../../../../fixtures/r');

const logger = recordingLogger();
const logs = logger.entries;

const runtimes: WorkerPool[] = [];

async function runtime(fixture: string, overrides: Partial<RRuntimeOptions> = {}) {
  const sut = await rRuntime({
    modelDir: path.join(FIXTURES, fixture),
    entry: 'model.R',
    coefficientsDir: path.join(FIXTURES, fixture, 'coefficients'),
    config: {},
    initTimeoutMs: 20_000,
    workers: 1,
    logger,
    ...overrides,
  });
  runtimes.push(sut);
  return sut;
}

const loggedLines = () =>
  logs
    .filter((entry) => entry.message === 'r worker output')
    .map((entry) => (entry.fields as { line: string }).line);

// stop() ends every worker and closes its stdio, or jest would wait for the pipes.
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((sut) => sut.stop()));
  logs.length = 0;
});

describe('r worker pool', () => {
  it('answers correctly while the model writes to stdout and stderr in init and predict', async () => {
    const sut = await runtime('noisy', { config: { SUFFIX: '>' } });
    await sut.start();
    await expect(sut.predict('setosa')).resolves.toBe('r:>setosa');
    await expect(sut.predict('ünïcødé 😀 "q" \\ \n end')).resolves.toBe(
      'r:>ünïcødé 😀 "q" \\ \n end',
    );
    await until(() => loggedLines().some((line) => line.includes('predict: child')));
    const lines = loggedLines();
    for (const expected of [
      '[1] "init: print to stdout"',
      'init: cat to stdout',
      'init: cat to stderr',
      'init: message',
      'init: a child process writes to fd 1',
      '[1] "setosa"',
    ]) {
      expect(lines).toContain(expected);
    }
    expect(lines.some((line) => line.includes('init: warning'))).toBe(true);
    expect(lines.some((line) => line.startsWith('INFO model: coefficients in '))).toBe(true);
  });

  it('reports the R version it runs on', async () => {
    const sut = await runtime('noisy');
    expect(sut.interpreter()).toMatch(/^R \d+\.\d+\.\d+$/);
  });

  it('round-trips a 1 MiB input', async () => {
    const sut = await runtime('noisy');
    await sut.start();
    const big = 'é😀x'.repeat(350_000);
    await expect(sut.predict(big)).resolves.toBe(`r:${big}`);
  });

  it('refuses an input with NUL, which R strings cannot hold, and keeps serving', async () => {
    const sut = await runtime('noisy');
    await sut.start();
    const error = await failure(sut.predict('a\u0000b'));
    expect(error.code).toBe(RuntimeErrorCode.PredictFailed);
    expect(error.message).toContain('R strings cannot hold NUL');
    await expect(sut.predict('next')).resolves.toBe('r:next');
  });

  it("rejects with the model's error when predict stops, and keeps serving", async () => {
    const sut = await runtime('noisy');
    await sut.start();
    const error = await failure(sut.predict('fail'));
    expect(error.code).toBe(RuntimeErrorCode.PredictFailed);
    expect(error.message).toBe('Error: refused input: fail');
    expect(error.detail).toContain('predict_fn(input)');
    const wrongType = await failure(sut.predict('number'));
    expect(wrongType.message).toBe(
      'TypeError: predict must return one string, got numeric of length 1',
    );
    await expect(sut.predict('fine')).resolves.toBe('r:fine');
    expect(sut.stats()).toEqual({ workers: 1, busyWorkers: 0, restarts: 0, oomKills: 0 });
  });

  it('fails start with the model error when init stops', async () => {
    const sut = await runtime('init-fails');
    const error = await failure(sut.start());
    expect(error.code).toBe(RuntimeErrorCode.InitFailed);
    expect(error.message).toBe('Error: bad coefficients in coefficients');
    expect(error.detail).toContain('load_coefficients(ctx$coefficients_dir)');
  });

  it('fails start with the last output lines when the worker dies in init', async () => {
    const sut = await runtime('crash', { config: { DIE: 'yes' } });
    const error = await failure(sut.start());
    expect(error.code).toBe(RuntimeErrorCode.InitFailed);
    expect(error.message).toContain('exit code 7');
    expect(error.message).toContain('loading weights');
  });

  it('fails the request of a worker that quits, and serves the next on a replacement', async () => {
    const sut = await runtime('noisy');
    await sut.start();
    const [pid] = sut.workerPids();
    const error = await failure(sut.predict('crash'));
    expect(error.code).toBe(RuntimeErrorCode.WorkerCrashed);
    expect(error.message).toContain('exit code 3');
    await expect(sut.predict('after')).resolves.toBe('r:after');
    expect(sut.stats()).toMatchObject({ workers: 1, restarts: 1 });
    expect(sut.workerPids()).not.toContain(pid);
  });

  it('replaces a worker killed in a hanging predict', async () => {
    const sut = await runtime('crash');
    await sut.start();
    const [pid] = sut.workerPids();
    const hanging = sut.predict('hang');
    await until(() => sut.stats().busyWorkers === 1);
    process.kill(pid, 'SIGKILL');
    expect((await failure(hanging)).code).toBe(RuntimeErrorCode.WorkerCrashed);
    await expect(sut.predict('back')).resolves.toBe('back');
  });

  it('refuses a model whose R package is missing, naming the apt package', async () => {
    const sut = await runtime('noisy', {
      requirements: { packages: ['r-cran-jsonlite', 'NoSuch.Pkg'] },
    });
    const error = await failure(sut.start());
    expect(error.code).toBe(RuntimeErrorCode.RPackagesMissing);
    expect(error.message).toContain('apt-get install r-cran-nosuch.pkg');
    expect(sut.workerPids()).toEqual([]);
  });

  it('refuses a model that needs a newer R', async () => {
    const sut = await runtime('noisy', { requirements: { packages: [], minVersion: '99.0' } });
    expect((await failure(sut.start())).code).toBe(RuntimeErrorCode.RVersionTooOld);
  });

  it('refuses a model when Rscript cannot be run', async () => {
    const sut = await runtime('noisy', { rscript: '/nonexistent/Rscript' });
    const error = await failure(sut.start());
    expect(error.code).toBe(RuntimeErrorCode.RUnavailable);
    expect(error.message).toContain('apt-get install r-base-core r-cran-jsonlite');
  });
});
