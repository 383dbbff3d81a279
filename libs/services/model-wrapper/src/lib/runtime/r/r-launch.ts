// How an R worker is started, in its replica's sandbox or not: Rscript with no site or user
// profile, the worker script, the bundle read-only, R's own dirs outside /usr, and only the
// manifest's env.
import path from 'node:path';

import type { Bind, ModelProcessLauncher } from '@ml-run/sandbox';

import { bundleBinds, isUnder, SANDBOX_PATHS, type LaunchPlan } from '../worker/launch-plan';
import type { RInstallation } from './r-installation';

/** --vanilla: no ~/.Rprofile, no saved workspace, nothing of the user's R setup. */
export const RSCRIPT_ARGS = ['--vanilla'] as const;

export type RLaunchInput = {
  rscript: string;
  installation: RInstallation | undefined;
  script: string;
  modelDir: string;
  coefficientsDir: string;
  /** The manifest's env: the model's own settings, never a platform secret. */
  modelEnv: Readonly<Record<string, string>>;
  launcher: Pick<ModelProcessLauncher, 'visiblePath'>;
};

/** The worker's environment: a UTF-8 locale (frames are UTF-8) wins over the manifest. */
export function rWorkerEnv(modelEnv: Readonly<Record<string, string>>): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: '/tmp',
    ...modelEnv,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
  };
}

export function rLaunch(input: RLaunchInput): LaunchPlan {
  const { launcher, installation } = input;
  const { model, coefficients, readOnly } = bundleBinds(input.modelDir, input.coefficientsDir);
  const script: Bind = {
    source: input.script,
    target: `${SANDBOX_PATHS.programs}/${path.basename(input.script)}`,
  };
  // /usr is shown to every sandbox; R's config (/etc/R) and an R built elsewhere are not.
  const rDirs = installation
    ? [installation.home, installation.etc, ...installation.libraries]
    : [];
  const outside = [...new Set(rDirs)].filter((dir) => dir !== '' && !isUnder(dir, '/usr'));
  const homes = outside.map((dir) => ({ source: dir, target: dir }));
  const modelDir = launcher.visiblePath(model);
  return {
    spec: {
      command: input.rscript,
      args: [...RSCRIPT_ARGS, launcher.visiblePath(script)],
      env: rWorkerEnv(input.modelEnv),
      readOnly: [...readOnly, script, ...homes],
      cwd: modelDir,
    },
    modelDir,
    coefficientsDir: launcher.visiblePath(coefficients),
  };
}
