import { readFile } from 'node:fs/promises';
import path from 'node:path';

import type { Manifest } from '@ml-run/model-contract';

import { isMissing } from '../registry/atomic-file';
import type { CommandRunner } from './command-runner.port';

/** Where pip installs a python bundle's requirements; the wrapper adds it to sys.path. */
export const PYTHON_DEPS_DIR = '.mlrun-deps';

export type InstallCommand = { command: string; args: string[] };

/** The command that installs a bundle's dependencies, or undefined when it declares none. */
export async function dependencyInstall(
  bundleDir: string,
  runtime: Manifest['runtime'],
): Promise<InstallCommand | undefined> {
  if (runtime === 'python') {
    const requirements = await readOptional(path.join(bundleDir, 'requirements.txt'));
    if (requirements === undefined || !hasRequirement(requirements)) return undefined;
    return {
      command: 'python3',
      args: [
        '-m',
        'pip',
        'install',
        '--disable-pip-version-check',
        '--no-input',
        '--target',
        path.join(bundleDir, PYTHON_DEPS_DIR),
        '-r',
        'requirements.txt',
      ],
    };
  }
  const manifest = await readOptional(path.join(bundleDir, 'package.json'));
  if (manifest === undefined || !hasDependencies(manifest)) return undefined;
  return { command: 'npm', args: ['install', '--omit=dev', '--no-audit', '--no-fund'] };
}

export type InstallResult = { state: 'done' | 'skipped'; message: string };

/** Runs the install, streaming its output; throws when it fails. */
export async function installDependencies(
  bundleDir: string,
  runtime: Manifest['runtime'],
  runner: CommandRunner,
  output: { onLine: (line: string) => void; signal?: AbortSignal },
): Promise<InstallResult> {
  const install = await dependencyInstall(bundleDir, runtime);
  if (install === undefined) {
    const declared = runtime === 'python' ? 'requirements.txt' : 'package.json dependencies';
    return { state: 'skipped', message: `no ${declared}` };
  }
  const commandLine = [install.command, ...install.args].join(' ');
  output.onLine(`$ ${commandLine}`);
  const code = await runner.run({ ...install, cwd: bundleDir, ...output });
  if (code !== 0) {
    throw new Error(`${commandLine} exited with code ${code}; see the build log`);
  }
  return { state: 'done', message: commandLine };
}

function hasRequirement(text: string): boolean {
  return text.split('\n').some((line) => {
    const trimmed = line.trim();
    return trimmed !== '' && !trimmed.startsWith('#');
  });
}

function hasDependencies(packageJson: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(packageJson);
  } catch (error) {
    throw new Error(
      `package.json is not valid JSON (${(error as Error).message}); fix it and upload again`,
    );
  }
  const dependencies = (parsed as { dependencies?: unknown } | null)?.dependencies;
  return (
    typeof dependencies === 'object' &&
    dependencies !== null &&
    Object.keys(dependencies).length > 0
  );
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}
