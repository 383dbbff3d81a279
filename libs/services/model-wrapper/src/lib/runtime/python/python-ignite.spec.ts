// ctx.ignite for python models, without Ignite: a stand-in pyignite package on PYTHONPATH
// records what the worker connects it to (the real client is covered by the int-specs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { RuntimeError, RuntimeErrorCode } from '../runtime.errors';
import { encodeFrame, FrameDecoder } from '../worker/frame-codec';
import type { WorkerPool } from '../worker/worker-pool';
import { pythonRuntime } from './python-runtime';

const FIXTURES = path.resolve(__dirname, '../../../../fixtures/python');
const MODEL_DIR = path.join(FIXTURES, 'ignite-ctx');
const FAKE_PYIGNITE = path.join(FIXTURES, 'fake-pyignite');
const NO_PYIGNITE = path.join(FIXTURES, 'no-pyignite');
const WORKER_SCRIPT = path.join(__dirname, 'mlrun_worker.py');
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

const runtimes: WorkerPool[] = [];

function runtime(igniteEndpoints?: string[]): WorkerPool {
  const sut = pythonRuntime({
    modelDir: MODEL_DIR,
    entry: 'model.py',
    coefficientsDir: path.join(MODEL_DIR, 'coefficients'),
    config: {},
    initTimeoutMs: 10_000,
    workers: 1,
    igniteEndpoints,
    logger: quiet,
  });
  runtimes.push(sut);
  return sut;
}

/** Runs the worker on init (+ predicts), then EOF; returns its replies. */
function runWorker(
  init: Record<string, unknown>,
  predicts: string[],
  env: NodeJS.ProcessEnv,
): Record<string, unknown>[] {
  const frames = [
    encodeFrame({
      id: 1,
      op: 'init',
      modelDir: MODEL_DIR,
      entry: 'model.py',
      coefficientsDir: MODEL_DIR,
      ...init,
    }),
    ...predicts.map((input, i) => encodeFrame({ id: i + 2, op: 'predict', input })),
  ];
  const result = spawnSync('python3', [WORKER_SCRIPT], {
    input: Buffer.concat(frames),
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env },
    timeout: 10_000,
  });
  expect(result.status).toBe(0);
  return new FrameDecoder().push(result.stdout) as Record<string, unknown>[];
}

describe('ctx.ignite in python models', () => {
  let savedPythonPath: string | undefined;
  let logDir: string;

  beforeEach(() => {
    savedPythonPath = process.env['PYTHONPATH'];
    logDir = mkdtempSync(path.join(tmpdir(), 'mlrun-pyignite-'));
  });

  afterEach(async () => {
    await Promise.all(runtimes.splice(0).map((sut) => sut.stop()));
    if (savedPythonPath === undefined) delete process.env['PYTHONPATH'];
    else process.env['PYTHONPATH'] = savedPythonPath;
    rmSync(logDir, { recursive: true, force: true });
  });

  it('is None without MLRUN_MODEL_IGNITE_ENDPOINTS', async () => {
    const sut = runtime();
    await sut.start();
    await expect(sut.predict('describe')).resolves.toBe('{"type": null, "nodes": null}');
  });

  it('is a pyignite.Client connected to the endpoints the wrapper sends in the init frame', async () => {
    process.env['PYTHONPATH'] = FAKE_PYIGNITE;
    const sut = runtime(['10.0.0.1:10800', 'ignite-2:10801']);
    await sut.start();
    await expect(sut.predict('describe')).resolves.toBe(
      '{"type": "pyignite.Client", "nodes": [["10.0.0.1", 10800], ["ignite-2", 10801]]}',
    );
  });

  it('fails init clearly when pyignite is not installed', async () => {
    process.env['PYTHONPATH'] = NO_PYIGNITE;
    const error = await runtime(['127.0.0.1:10800'])
      .start()
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).code).toBe(RuntimeErrorCode.InitFailed);
    expect((error as RuntimeError).message).toMatch(
      /^IgniteUnavailableError: MLRUN_MODEL_IGNITE_ENDPOINTS is set \(127\.0\.0\.1:10800\) but pyignite cannot be imported by .*python.* \(No module named 'pyignite'\): install it with pip install pyignite==0\.6\.1$/,
    );
  });

  describe('mlrun_worker.py', () => {
    it('closes the client when the worker exits', () => {
      const log = path.join(logDir, 'log');
      const replies = runWorker({ igniteEndpoints: ['h:1'] }, ['describe'], {
        PYTHONPATH: FAKE_PYIGNITE,
        FAKE_PYIGNITE_LOG: log,
      });
      expect(replies.map((reply) => reply['ok'])).toEqual([true, true]);
      expect(readFileSync(log, 'utf8')).toBe("closed [['h', 1]]\n");
    });

    it('refuses an endpoint that is not host:port', () => {
      const [reply] = runWorker({ igniteEndpoints: ['ignite'] }, [], { PYTHONPATH: FAKE_PYIGNITE });
      expect(reply).toMatchObject({
        ok: false,
        error: {
          type: 'IgniteUnavailableError',
          message: "MLRUN_MODEL_IGNITE_ENDPOINTS: 'ignite' is not host:port",
        },
      });
    });

    it('connects nothing for a model without init', () => {
      const modelDir = path.join(FIXTURES, 'predict-raises');
      // pyignite "not installed": connecting would have failed the init reply.
      const replies = runWorker({ modelDir, igniteEndpoints: ['h:1'] }, ['fine'], {
        PYTHONPATH: NO_PYIGNITE,
      });
      expect(replies).toEqual([
        { id: 1, ok: true },
        { id: 2, ok: true, output: 'fine' },
      ]);
    });
  });
});
