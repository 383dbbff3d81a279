import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { BuilderErrorCode } from '@ml-run/builder-registry';
import { ContractErrorCode, validateManifest, type Manifest } from '@ml-run/model-contract';

import { FakeCommandRunner } from '../../testing/fake-command-runner';
import type { CommandRunner, CommandSpec } from './command-runner.port';
import { installDependencies, pipInstallArgs } from './install-dependencies';

const manifestOf = (runtime: 'python' | 'node', sourceBuilds?: boolean): Manifest =>
  validateManifest({
    name: 'm',
    runtime,
    entry: runtime === 'python' ? 'model.py' : 'model.js',
    codeVersion: '1.0.0',
    ...(sourceBuilds === undefined ? {} : { dependencies: { sourceBuilds } }),
  });

// Installs like pip or npm would: a file in the folder the output goes to.
class WritingRunner implements CommandRunner {
  readonly runs: CommandSpec[] = [];
  async run(spec: CommandSpec): Promise<number> {
    this.runs.push(spec);
    const out = spec.writable[0] as string;
    const dir = spec.command === 'npm' ? path.join(out, 'node_modules', 'left-pad') : out;
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'index.js'), 'installed');
    return 0;
  }
}

describe(installDependencies.name, () => {
  let dir: string;
  let lines: string[];
  const allow = { allowSourceBuilds: false };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'deps-'));
    lines = [];
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const install = (
    manifest: Manifest,
    runner: CommandRunner = new FakeCommandRunner(),
    policy = allow,
  ) => installDependencies(dir, manifest, runner, policy, { onLine: (line) => lines.push(line) });

  it('pip-installs wheels only, as a staged command that writes only its target', async () => {
    await writeFile(path.join(dir, 'requirements.txt'), '# pinned\nnumpy==2.1.0\n');
    const runner = new WritingRunner();
    expect(await install(manifestOf('python'), runner)).toMatchObject({ state: 'done' });
    const [run] = runner.runs as [CommandSpec];
    const staging = run.cwd;
    expect(run).toMatchObject({
      command: 'python3',
      args: [
        '-m',
        'pip',
        'install',
        ...pipInstallArgs(
          path.join(staging, 'deps'),
          path.join(staging, 'requirements.txt'),
          false,
        ),
      ],
      readOnly: [path.join(staging, 'requirements.txt')],
      writable: [path.join(staging, 'deps'), path.join(staging, 'home')],
      network: true,
    });
    expect(run.args).toContain('--only-binary=:all:');
    expect(staging.startsWith(dir)).toBe(false);
    expect(run.env).toMatchObject({ HOME: path.join(staging, 'home') });
    expect(Object.keys(run.env).filter((key) => key.startsWith('MLRUN_'))).toEqual([]);
    expect(await readFile(path.join(dir, '.mlrun-deps', 'index.js'), 'utf8')).toBe('installed');
    await expect(stat(staging)).rejects.toThrow('ENOENT');
    expect(lines).toEqual([
      expect.stringMatching(/^\$ python3 -m pip install .*--only-binary=:all:/),
    ]);
  });

  it('npm-installs without lifecycle scripts into node_modules', async () => {
    await writeFile(
      path.join(dir, 'package.json'),
      JSON.stringify({
        scripts: { preinstall: 'touch /tmp/pwned' },
        dependencies: { 'left-pad': '1.3.0' },
      }),
    );
    const runner = new WritingRunner();
    await install(manifestOf('node'), runner);
    const [run] = runner.runs as [CommandSpec];
    expect(run).toMatchObject({ command: 'npm', writable: [run.cwd, expect.any(String)] });
    expect(run.args).toEqual(expect.arrayContaining(['install', '--omit=dev', '--ignore-scripts']));
    await expect(stat(run.cwd)).rejects.toThrow('ENOENT');
    expect(await readFile(path.join(dir, 'node_modules', 'left-pad', 'index.js'), 'utf8')).toBe(
      'installed',
    );
  });

  it('refuses a manifest asking for source builds the builder does not allow, before running anything', async () => {
    await writeFile(path.join(dir, 'requirements.txt'), 'numpy==2.1.0\n');
    const runner = new FakeCommandRunner();
    await expect(install(manifestOf('python', true), runner)).rejects.toMatchObject({
      code: BuilderErrorCode.SourceBuildsNotAllowed,
      message: expect.stringContaining('MLRUN_ALLOW_SOURCE_BUILDS=true'),
    });
    expect(runner.runs).toEqual([]);
  });

  it('builds from source when the manifest asks and the builder allows it', async () => {
    await writeFile(path.join(dir, 'requirements.txt'), 'numpy==2.1.0\n');
    await writeFile(path.join(dir, 'package.json'), '{"dependencies": {"a": "1"}}');
    const runner = new FakeCommandRunner();
    await install(manifestOf('python', true), runner, { allowSourceBuilds: true });
    expect(runner.runs[0]?.args).not.toContain('--only-binary=:all:');
  });

  it('says how to allow source builds when a wheels-only install fails', async () => {
    await writeFile(path.join(dir, 'requirements.txt'), 'sdist-only==1.0\n');
    await expect(
      install(manifestOf('python'), new FakeCommandRunner({ exitCode: 1 })),
    ).rejects.toThrow(
      /exited with code 1; see the build log\. builds install wheels only: .*sourceBuilds: true.*MLRUN_ALLOW_SOURCE_BUILDS=true/,
    );
  });

  it('refuses an index option at build time too (a version uploaded before the rule)', async () => {
    await writeFile(
      path.join(dir, 'requirements.txt'),
      '--extra-index-url https://evil.example/simple\nnumpy\n',
    );
    const runner = new FakeCommandRunner();
    await expect(install(manifestOf('python'), runner)).rejects.toMatchObject({
      code: ContractErrorCode.DependencySourceRefused,
    });
    expect(runner.runs).toEqual([]);
  });

  it.each([
    ['python', {}, 'no requirements.txt'],
    ['python', { 'requirements.txt': '\n# nothing yet\n' }, 'no requirements.txt'],
    ['node', {}, 'no package.json dependencies'],
    [
      'node',
      { 'package.json': '{"devDependencies": {"jest": "30"}}' },
      'no package.json dependencies',
    ],
  ] as const)('skips a %s bundle without dependencies (%j)', async (runtime, files, message) => {
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    const runner = new FakeCommandRunner();
    expect(await install(manifestOf(runtime), runner)).toEqual({ state: 'skipped', message });
    expect(runner.runs).toEqual([]);
  });

  it('says how to fix a package.json that is not JSON', async () => {
    await writeFile(path.join(dir, 'package.json'), '{ nope');
    await expect(install(manifestOf('node'))).rejects.toThrow('package.json is not valid JSON');
  });
});
