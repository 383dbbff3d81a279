// How a node worker is started inside its replica's sandbox: this process's node binary,
// the self-contained worker script, the bundle read-only, and only the manifest's env.
import path from 'node:path';

import type { Bind, ModelProcessLauncher } from '@ml-run/sandbox';

import { bundleBinds, isUnder, SANDBOX_PATHS, type LaunchPlan } from '../worker/launch-plan';

export type NodeLaunchInput = {
  node: string;
  script: string;
  modelDir: string;
  coefficientsDir: string;
  /** The worker's environment (modelWorkerEnv): the manifest env, never a platform secret. */
  env: Readonly<Record<string, string>>;
  launcher: Pick<ModelProcessLauncher, 'visiblePath'>;
};

export function nodeLaunch(input: NodeLaunchInput): LaunchPlan {
  const { launcher } = input;
  const { model, coefficients, readOnly } = bundleBinds(input.modelDir, input.coefficientsDir);
  const script: Bind = {
    source: input.script,
    target: `${SANDBOX_PATHS.programs}/${path.basename(input.script)}`,
  };
  // /usr is shown to every sandbox; a node installed elsewhere (nvm) is shown where it is.
  const nodeHome = path.dirname(path.dirname(input.node));
  const binaries: Bind[] = isUnder(input.node, '/usr')
    ? []
    : [{ source: nodeHome, target: nodeHome }];
  const modelDir = launcher.visiblePath(model);
  return {
    spec: {
      command: input.node,
      args: [launcher.visiblePath(script)],
      // The wrapper's HOME is not the model's (nor visible to it).
      env: { ...input.env, HOME: '/tmp' },
      readOnly: [...readOnly, script, ...binaries],
      cwd: modelDir,
    },
    modelDir,
    coefficientsDir: launcher.visiblePath(coefficients),
  };
}
