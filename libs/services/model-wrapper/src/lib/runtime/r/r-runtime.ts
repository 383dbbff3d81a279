// R models: the worker pool running Rscript mlrun_worker.R, after checking that this
// machine's R has the version and the packages the manifest asks for.
import path from 'node:path';

import type { ModelProcessLauncher } from '@ml-run/sandbox';

import { sandboxLaunch } from '../worker/launch-plan';
import { WorkerPool, type WorkerPoolOptions } from '../worker/worker-pool';
import type { WorkerCommand } from '../worker/worker-process';
import { probeR } from './r-installation';
import { rLaunch, RSCRIPT_ARGS, rWorkerEnv } from './r-launch';
import { checkRRequirements, type RRequirements } from './r-requirements';

export type RRuntimeOptions = Omit<WorkerPoolOptions, 'worker'> & {
  /** Default 'Rscript' (looked up on PATH); MLRUN_RSCRIPT. */
  rscript?: string;
  /** Default: mlrun_worker.R next to this module (the build copies it there). */
  workerScript?: string;
  /** The manifest's `r:` (packages, minVersion). */
  requirements?: RRequirements;
};

// As python: one request running and the next waiting in the worker's pipe.
const R_MAX_IN_FLIGHT = 2;

/** The R runtime with workers started by `launch` (default spawn), on this machine's paths. */
export async function rRuntime(options: RRuntimeOptions): Promise<WorkerPool> {
  const { rscript = 'Rscript', workerScript, requirements, ...pool } = options;
  const script = workerScript ?? defaultScript();
  const installation = await probeR(rscript, rWorkerEnv({}));
  return new WorkerPool({
    ...pool,
    worker: rWorkerCommand(rscript, [...RSCRIPT_ARGS, script], rWorkerEnv(pool.config)),
    interpreter: installation && `R ${installation.version}`,
    preflight: () => checkRRequirements(installation, requirements, rscript),
  });
}

/** The R runtime with every worker spawned through the replica's sandbox. */
export async function sandboxedRRuntime(
  options: Omit<RRuntimeOptions, 'launch'> & { launcher: ModelProcessLauncher },
): Promise<WorkerPool> {
  const { rscript = 'Rscript', workerScript, requirements, launcher, ...pool } = options;
  const installation = await probeR(rscript, rWorkerEnv({}));
  const plan = rLaunch({
    rscript,
    installation,
    script: workerScript ?? defaultScript(),
    modelDir: options.modelDir,
    coefficientsDir: options.coefficientsDir,
    modelEnv: options.config,
    launcher,
  });
  return new WorkerPool({
    ...pool,
    launcher,
    modelDir: plan.modelDir,
    coefficientsDir: plan.coefficientsDir,
    worker: rWorkerCommand(plan.spec.command, plan.spec.args, plan.spec.env),
    launch: sandboxLaunch(launcher, plan),
    interpreter: installation && `R ${installation.version}`,
    preflight: () => checkRRequirements(installation, requirements, rscript),
  });
}

function defaultScript(): string {
  return path.join(__dirname, 'mlrun_worker.R');
}

// Frames on fds 3 and 4, never on stdout: base R cannot move stdout away from model code.
function rWorkerCommand(
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): WorkerCommand {
  return {
    runtime: 'r',
    command,
    args,
    env,
    channel: 'fd3-fd4',
    maxInFlight: R_MAX_IN_FLIGHT,
    inOrder: true,
  };
}
