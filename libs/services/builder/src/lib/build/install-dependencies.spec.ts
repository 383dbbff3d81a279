import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { FakeCommandRunner } from '../../testing/fake-command-runner';
import { installDependencies } from './install-dependencies';

describe(installDependencies.name, () => {
  let dir: string;
  let lines: string[];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'deps-'));
    lines = [];
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const install = (runtime: 'python' | 'node', runner = new FakeCommandRunner()) =>
    installDependencies(dir, runtime, runner, { onLine: (line) => lines.push(line) });

  it('pip-installs requirements.txt into .mlrun-deps', async () => {
    await writeFile(path.join(dir, 'requirements.txt'), '# pinned\nnumpy==2.1.0\n');
    const runner = new FakeCommandRunner({ output: ['Successfully installed numpy-2.1.0'] });
    expect(await install('python', runner)).toMatchObject({ state: 'done' });
    expect(runner.runs).toEqual([
      expect.objectContaining({
        command: 'python3',
        args: [
          '-m',
          'pip',
          'install',
          '--disable-pip-version-check',
          '--no-input',
          '--target',
          path.join(dir, '.mlrun-deps'),
          '-r',
          'requirements.txt',
        ],
        cwd: dir,
      }),
    ]);
    expect(lines).toEqual([
      expect.stringMatching(/^\$ python3 -m pip install/),
      'Successfully installed numpy-2.1.0',
    ]);
  });

  it('npm-installs package.json dependencies', async () => {
    await writeFile(
      path.join(dir, 'package.json'),
      JSON.stringify({ dependencies: { 'left-pad': '1.3.0' } }),
    );
    const runner = new FakeCommandRunner();
    await install('node', runner);
    expect(runner.runs[0]).toMatchObject({
      command: 'npm',
      args: ['install', '--omit=dev', '--no-audit', '--no-fund'],
      cwd: dir,
    });
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
    expect(await install(runtime, runner)).toEqual({ state: 'skipped', message });
    expect(runner.runs).toEqual([]);
  });

  it('fails when the install exits non-zero', async () => {
    await writeFile(path.join(dir, 'requirements.txt'), 'nope==0\n');
    await expect(install('python', new FakeCommandRunner({ exitCode: 1 }))).rejects.toThrow(
      'exited with code 1',
    );
  });

  it('says how to fix a package.json that is not JSON', async () => {
    await writeFile(path.join(dir, 'package.json'), '{ nope');
    await expect(install('node')).rejects.toThrow('package.json is not valid JSON');
  });
});
