import { chmod, copyFile, cp, mkdir, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { buildToolEnv } from '@ml-run/config';
import {
  checkDependencyFiles,
  DEPENDENCY_FILES,
  hasRuntimeDependencies,
  PACKAGE_JSON_FILE,
  REQUIREMENTS_FILE,
  type Manifest,
} from '@ml-run/model-contract';
import { isMissing } from '@ml-run/registry-store';

import type { CommandRunner, CommandSpec } from './command-runner.port';
import {
  checkSourceBuilds,
  SOURCE_BUILDS_HINT,
  wantsSourceBuilds,
  type BuildPolicy,
} from './source-builds';

/** Where pip installs a python bundle's requirements; the wrapper adds it to sys.path. */
export const PYTHON_DEPS_DIR = '.mlrun-deps';

const NODE_DEPS_DIR = 'node_modules';
const NPM_LOCK_FILES = ['npm-shrinkwrap.json', 'package-lock.json'];

export type DependencyTool = 'pip' | 'npm';

/**
 * The tool that installs a bundle's dependencies: pip for a requirements.txt with a
 * requirement, npm for a package.json with runtime dependencies; undefined for none.
 */
export async function declaredDependencies(
  bundleDir: string,
  runtime: Manifest['runtime'],
): Promise<DependencyTool | undefined> {
  // An R model's packages are Debian packages: the image's apt layer, a host's admin.
  if (runtime === 'r') return undefined;
  if (runtime === 'python') {
    const requirements = await readOptional(path.join(bundleDir, REQUIREMENTS_FILE));
    return requirements !== undefined && hasRequirement(requirements) ? 'pip' : undefined;
  }
  const packageJson = await readOptional(path.join(bundleDir, PACKAGE_JSON_FILE));
  return packageJson !== undefined && hasRuntimeDependencies(packageJson) ? 'npm' : undefined;
}

/**
 * pip's arguments after `python3 -m pip install`: wheels only (`--only-binary=:all:`, no
 * package's setup code runs) unless the bundle may build from source.
 */
export function pipInstallArgs(target: string, requirements: string, sourceBuilds: boolean) {
  return [
    '--disable-pip-version-check',
    '--no-input',
    '--no-cache-dir',
    ...(sourceBuilds ? [] : ['--only-binary=:all:']),
    '--target',
    target,
    '-r',
    requirements,
  ];
}

/**
 * npm's arguments after `npm`: no lifecycle scripts (`--ignore-scripts`: neither the
 * bundle's own preinstall nor a dependency's install script runs) unless the bundle may
 * build from source.
 */
export function npmInstallArgs(cache: string, sourceBuilds: boolean): string[] {
  return [
    'install',
    '--omit=dev',
    '--no-audit',
    '--no-fund',
    '--no-update-notifier',
    ...(sourceBuilds ? [] : ['--ignore-scripts']),
    '--cache',
    cache,
  ];
}

export type InstallResult = { state: 'done' | 'skipped'; message: string };

type Staged = { spec: Omit<CommandSpec, 'onLine' | 'signal'>; output: string };

/**
 * Installs a bundle's dependencies into it (`.mlrun-deps/` or `node_modules/`) without
 * running anything of the bundle as the builder: the dependency files are copied to a
 * staging folder, the runner installs there (its writable folders: the output and a
 * home, nothing else), and the result is moved into the bundle. Throws when the
 * install fails, or the manifest asks for source builds the policy does not allow.
 */
export async function installDependencies(
  bundleDir: string,
  manifest: Manifest,
  runner: CommandRunner,
  policy: BuildPolicy,
  output: { onLine: (line: string) => void; signal?: AbortSignal; stagingRoot?: string },
): Promise<InstallResult> {
  const tool = await declaredDependencies(bundleDir, manifest.runtime);
  if (tool === undefined) {
    const declared =
      manifest.runtime === 'python' ? 'requirements.txt' : 'package.json dependencies';
    return { state: 'skipped', message: `no ${declared}` };
  }
  await checkFiles(bundleDir, manifest.runtime);
  checkSourceBuilds(manifest, policy);
  const sourceBuilds = wantsSourceBuilds(manifest);
  const staging = await mkdtemp(path.join(output.stagingRoot ?? os.tmpdir(), 'mlrun-install-'));
  try {
    // mkdtemp makes it 0700: the install user must be able to reach into it.
    await chmod(staging, 0o755);
    const staged = await stage(tool, bundleDir, staging, sourceBuilds);
    const commandLine = [staged.spec.command, ...staged.spec.args].join(' ');
    output.onLine(`$ ${commandLine}`);
    const code = await runner.run({ ...staged.spec, onLine: output.onLine, signal: output.signal });
    if (code !== 0) throw installFailed(tool, commandLine, code, sourceBuilds);
    await moveInto(
      staged.output,
      path.join(bundleDir, tool === 'pip' ? PYTHON_DEPS_DIR : NODE_DEPS_DIR),
    );
    return { state: 'done', message: commandLine };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function stage(
  tool: DependencyTool,
  bundleDir: string,
  staging: string,
  sourceBuilds: boolean,
): Promise<Staged> {
  const home = path.join(staging, 'home');
  await mkdir(home);
  const env = { ...buildToolEnv(), HOME: home };
  if (tool === 'pip') {
    const requirements = path.join(staging, REQUIREMENTS_FILE);
    const target = path.join(staging, 'deps');
    await copyReadable(path.join(bundleDir, REQUIREMENTS_FILE), requirements);
    await mkdir(target);
    const args = ['-m', 'pip', 'install', ...pipInstallArgs(target, requirements, sourceBuilds)];
    const spec = { command: 'python3', args, cwd: staging, env, network: true };
    return {
      spec: { ...spec, readOnly: [requirements], writable: [target, home] },
      output: target,
    };
  }
  // npm writes node_modules (and its lock) next to package.json: the project is writable.
  const project = path.join(staging, 'project');
  await mkdir(project);
  for (const file of [PACKAGE_JSON_FILE, ...NPM_LOCK_FILES]) {
    await copyReadable(path.join(bundleDir, file), path.join(project, file)).catch((error) => {
      if (!isMissing(error)) throw error;
    });
  }
  const args = npmInstallArgs(path.join(home, '.npm'), sourceBuilds);
  const spec = { command: 'npm', args, cwd: project, env, network: true };
  return {
    spec: { ...spec, readOnly: [], writable: [project, home] },
    output: path.join(project, NODE_DEPS_DIR),
  };
}

function installFailed(
  tool: DependencyTool,
  commandLine: string,
  code: number,
  sourceBuilds: boolean,
): Error {
  const base = `${commandLine} exited with code ${code}; see the build log`;
  if (sourceBuilds) return new Error(base);
  const hint =
    tool === 'pip'
      ? 'builds install wheels only: a requirement that has no wheel for this platform (an sdist only) cannot be installed unless you'
      : 'builds run no install scripts: a package that needs its install script cannot be installed unless you';
  return new Error(`${base}. ${hint} ${SOURCE_BUILDS_HINT}`);
}

async function copyReadable(from: string, to: string): Promise<void> {
  await copyFile(from, to);
  await chmod(to, 0o644);
}

// The staging folder may sit on another file system than the bundle.
async function moveInto(from: string, to: string): Promise<void> {
  await rm(to, { recursive: true, force: true });
  // Nothing installed (npm may leave no folder): nothing to move.
  if (
    !(await stat(from).then(
      () => true,
      () => false,
    ))
  )
    return;
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await cp(from, to, { recursive: true, verbatimSymlinks: true });
  }
}

function hasRequirement(text: string): boolean {
  return text.split('\n').some((line) => {
    const trimmed = line.trim();
    return trimmed !== '' && !trimmed.startsWith('#');
  });
}

// Checked at upload too; again here for versions uploaded before the rule (a resumed build).
async function checkFiles(bundleDir: string, runtime: Manifest['runtime']): Promise<void> {
  const texts: Record<string, string> = {};
  for (const name of DEPENDENCY_FILES[runtime]) {
    const text = await readOptional(path.join(bundleDir, name));
    if (text !== undefined) texts[name] = text;
  }
  checkDependencyFiles(runtime, texts);
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}
