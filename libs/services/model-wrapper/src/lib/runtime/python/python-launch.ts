// How a python worker is started inside its replica's sandbox: which interpreter, which
// host dirs it needs to see (read-only), its environment, and the paths it is told.
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';

import type { Bind, ModelProcessLauncher } from '@ml-run/sandbox';

import { bundleBinds, isUnder, SANDBOX_PATHS, type LaunchPlan } from '../worker/launch-plan';

const run = promisify(execFile);

export type PythonInterpreter = {
  /** The real binary (a pyenv shim is a shell script that needs the user's home). */
  executable: string;
  /** Dirs the interpreter and its standard library live in, outside /usr. */
  homes: string[];
  /**
   * Import dirs outside the interpreter's home, in sys.path order: the platform's PYTHONPATH
   * and the user site (pyignite may be installed there). The worker gets them as PYTHONPATH.
   */
  importDirs: string[];
};

const PROBE = [
  'import json, sys',
  'print(json.dumps({"executable": sys.executable, "prefix": sys.prefix,',
  '  "base": sys.base_prefix, "path": sys.path[1:]}))',
].join('\n');

const probed = new Map<string, Promise<PythonInterpreter | undefined>>();

/**
 * Asks the interpreter where it lives, once per process (a pyenv shim takes a second);
 * undefined when it cannot be run (the worker's spawn then says why).
 */
export function probeInterpreter(
  python: string,
  env: Record<string, string>,
): Promise<PythonInterpreter | undefined> {
  const key = `${python}\0${env['PYTHONPATH'] ?? ''}`;
  let answer = probed.get(key);
  if (!answer) {
    answer = askInterpreter(python, env);
    probed.set(key, answer);
  }
  return answer;
}

async function askInterpreter(
  python: string,
  env: Record<string, string>,
): Promise<PythonInterpreter | undefined> {
  try {
    const { stdout } = await run(python, ['-c', PROBE], { env, timeout: 30_000 });
    const found = JSON.parse(stdout) as {
      executable: string;
      prefix: string;
      base: string;
      path: string[];
    };
    const homes = [...new Set([found.prefix, found.base])];
    const outside = found.path.filter(
      (dir) => dir !== '' && !homes.some((home) => isUnder(dir, home)),
    );
    const importDirs: string[] = [];
    for (const dir of new Set(outside)) if (await isDir(dir)) importDirs.push(dir);
    return {
      executable: found.executable,
      homes: homes.filter((dir) => !isUnder(dir, '/usr')),
      importDirs,
    };
  } catch {
    return undefined;
  }
}

export type PythonLaunchInput = {
  python: string;
  interpreter: PythonInterpreter | undefined;
  script: string;
  modelDir: string;
  coefficientsDir: string;
  /** The manifest's env: the model's own settings, never a platform secret. */
  modelEnv: Readonly<Record<string, string>>;
  launcher: Pick<ModelProcessLauncher, 'visiblePath'>;
};

export function pythonLaunch(input: PythonLaunchInput): LaunchPlan {
  const { interpreter, launcher } = input;
  const { model, coefficients, readOnly } = bundleBinds(input.modelDir, input.coefficientsDir);
  const importDirs = (interpreter?.importDirs ?? []).map((dir, index) => ({
    source: dir,
    target: `${SANDBOX_PATHS.importDirs}/${index}`,
  }));
  const script: Bind = {
    source: input.script,
    target: `${SANDBOX_PATHS.programs}/mlrun_worker.py`,
  };
  const homes = (interpreter?.homes ?? []).map((dir) => ({ source: dir, target: dir }));
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
    HOME: '/tmp',
    ...input.modelEnv,
    // What the worker protocol needs wins over the manifest.
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONNOUSERSITE: '1',
    ...(importDirs.length > 0
      ? { PYTHONPATH: importDirs.map((bind) => launcher.visiblePath(bind)).join(':') }
      : {}),
  };
  const modelDir = launcher.visiblePath(model);
  return {
    spec: {
      command: interpreter?.executable ?? input.python,
      args: ['-u', launcher.visiblePath(script)],
      env,
      readOnly: [...readOnly, script, ...homes, ...importDirs],
      cwd: modelDir,
    },
    modelDir,
    coefficientsDir: launcher.visiblePath(coefficients),
  };
}

async function isDir(dir: string): Promise<boolean> {
  return stat(dir).then(
    (info) => info.isDirectory(),
    () => false,
  );
}
