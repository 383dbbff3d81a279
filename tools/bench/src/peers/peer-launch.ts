import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { IRIS_EXAMPLE_DIR, PEERS_SOURCE_DIR, venvBin } from './peer-paths';
import type { PeerName } from './types';

const run = promisify(execFile);

export type LaunchContext = { venv: string; workDir: string; port: number; workers: number };

/** The server's command line; prepare (when given) runs first, e.g. to write a model. */
export type Launch = {
  command: string;
  args: string[];
  env: Record<string, string>;
  prepare?: () => Promise<void>;
};

/**
 * What both peers run with: the venv first on PATH (mlflow runs `uvicorn` through bash),
 * no usage reporting (MLflow telemetry, BentoML usage stats; no outbound traffic is
 * allowed here anyway), and their state in the peer's own temporary directory.
 */
export function peerEnv(ctx: LaunchContext): Record<string, string> {
  return {
    PATH: `${path.join(ctx.venv, 'bin')}:${process.env['PATH'] ?? ''}`,
    VIRTUAL_ENV: ctx.venv,
    MLFLOW_DISABLE_TELEMETRY: 'true',
    DO_NOT_TRACK: 'true',
    BENTOML_DO_NOT_TRACK: 'true',
    MLFLOW_TRACKING_URI: `file://${path.join(ctx.workDir, 'mlruns')}`,
    BENTOML_HOME: path.join(ctx.workDir, 'bentoml'),
    MLRUN_PEER_WORKERS: String(ctx.workers),
  };
}

function mlflow(ctx: LaunchContext): Launch {
  const modelDir = path.join(ctx.workDir, 'iris-mlflow-model');
  return {
    command: venvBin(ctx.venv, 'mlflow'),
    // --env-manager local: serve from this venv; any other manager would build an env
    // and download into it.
    args: ['models', 'serve', '-m', modelDir, '-w', String(ctx.workers)].concat([
      '--env-manager',
      'local',
      '-h',
      '127.0.0.1',
      '-p',
      String(ctx.port),
    ]),
    env: peerEnv(ctx),
    prepare: async () => {
      const save = path.join(PEERS_SOURCE_DIR, 'save_mlflow_model.py');
      await run(venvBin(ctx.venv, 'python'), [save, modelDir], {
        cwd: ctx.workDir,
        env: { ...process.env, ...peerEnv(ctx) },
      });
    },
  };
}

function bentoml(ctx: LaunchContext): Launch {
  return {
    command: venvBin(ctx.venv, 'bentoml'),
    args: ['serve', 'bentoml_iris:IrisExample', '--working-dir', PEERS_SOURCE_DIR].concat([
      '--host',
      '127.0.0.1',
      '--port',
      String(ctx.port),
    ]),
    env: peerEnv(ctx),
  };
}

export const PEER_LAUNCHES: Record<PeerName, (ctx: LaunchContext) => Launch> = { mlflow, bentoml };

/**
 * The example's own answers: its predict run directly, as ML-RUN's worker runs it, always
 * from the repository's copy (whatever MLRUN_IRIS_EXAMPLE_DIR makes the peers serve).
 */
export function exampleAnswers(venv: string, inputs: string[]): string[] {
  const script = path.join(PEERS_SOURCE_DIR, 'iris_example.py');
  const output = execFileSync(venvBin(venv, 'python'), [script, IRIS_EXAMPLE_DIR], {
    input: JSON.stringify(inputs),
  });
  const answers: unknown = JSON.parse(output.toString());
  if (!Array.isArray(answers) || answers.some((a) => typeof a !== 'string')) {
    throw new Error(`iris_example.py did not print a list of strings: ${output.toString()}`);
  }
  return answers as string[];
}
