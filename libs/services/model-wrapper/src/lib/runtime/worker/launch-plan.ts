// How a runtime's workers start inside the replica's sandbox: the command and environment,
// the host dirs they see (read-only), and the model's paths as the worker sees them.
import path from 'node:path';

import type { Bind, ModelProcessLauncher, SpawnSpec } from '@ml-run/sandbox';

import type { Launch } from './launch';

/** Where a sandboxed worker sees its files (when the sandbox remaps paths). */
export const SANDBOX_PATHS = {
  model: '/model',
  coefficients: '/coefficients',
  /** The runtime's worker program (mlrun_worker.py, mlrun-node-worker.js, mlrun_worker.R) goes here. */
  programs: '/opt/mlrun',
  /** Extra import dirs (PYTHONPATH, the user site) are shown as /opt/mlrun/python/<n>. */
  importDirs: '/opt/mlrun/python',
} as const;

export type LaunchPlan = {
  spec: SpawnSpec;
  /** The model and coefficients dirs as the worker sees them, for the init frame. */
  modelDir: string;
  coefficientsDir: string;
};

/** Every worker of the plan spawned through the sandbox, with the plan's binds. */
export function sandboxLaunch(launcher: ModelProcessLauncher, plan: LaunchPlan): Launch {
  const { readOnly, writable } = plan.spec;
  return (request) =>
    launcher.spawn({
      ...request,
      ...(readOnly ? { readOnly } : {}),
      ...(writable ? { writable } : {}),
    });
}

/** Whether `dir` is `root` or inside it (plain path arithmetic, no symlinks followed). */
export function isUnder(dir: string, root: string): boolean {
  const relative = path.relative(root, dir);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** The bundle at /model; coefficients inside it need no bind of their own. */
export function bundleBinds(
  modelDir: string,
  coefficientsDir: string,
): { model: Bind; coefficients: Bind; readOnly: Bind[] } {
  const model: Bind = { source: modelDir, target: SANDBOX_PATHS.model };
  const inside = path.relative(modelDir, coefficientsDir);
  if (!inside.startsWith('..') && !path.isAbsolute(inside)) {
    const coefficients = { source: coefficientsDir, target: path.posix.join(model.target, inside) };
    return { model, coefficients, readOnly: [model] };
  }
  const coefficients = { source: coefficientsDir, target: SANDBOX_PATHS.coefficients };
  return { model, coefficients, readOnly: [model, coefficients] };
}
