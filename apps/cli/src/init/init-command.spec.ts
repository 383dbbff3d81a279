import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { readModelDir } from '@ml-run/model-contract';

import { CliError } from '../cli.errors';
import { cliHarness, type CliHarness } from '../testing/cli-harness';
import { initModel, nameFromFolder } from './init-command';

describe(initModel.name, () => {
  let root: string;
  let sut: CliHarness;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cli-init-'));
    sut = cliHarness({ dataDir: root });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it.each(['python', 'node', 'r'])(
    'scaffolds a %s model that passes its own ml-run test',
    async (runtime) => {
      const dir = path.join(root, `My_${runtime}-Model`);
      await sut.run('init', dir, '--runtime', runtime);
      const info = await readModelDir(dir);
      expect(info.manifest).toMatchObject({ name: `my-${runtime}-model`, runtime });
      expect(info.manifest.selfTest?.expectOutput).toBe('{"score":1.75}');
      sut.lines.length = 0;
      await sut.run('test', dir);
      expect(sut.lines[0]).toMatch(
        new RegExp(`^testing my-${runtime}-model 0\\.1\\.0\\+[0-9a-f]{12} `),
      );
      expect(sut.lines.some((line) => line.startsWith('  | ') && line.includes('weights'))).toBe(
        true,
      );
      expect(sut.lines.at(-1)).toBe(
        'PASS predict("{\\"features\\":[1,2,3]}") returned "{\\"score\\":1.75}", as selfTest.expectOutput says',
      );
    },
  );

  it.each(['python', 'node', 'r'])('fails the %s test when the output differs', async (runtime) => {
    const dir = path.join(root, 'm');
    await sut.run('init', dir, '--runtime', runtime, '--name', 'demo');
    const weights = path.join(dir, 'coefficients', 'weights.json');
    await writeFile(weights, '{ "weights": [1, 1, 1], "bias": 0 }');
    await expect(sut.run('test', dir)).rejects.toThrow(new CliError('self-test failed'));
    expect(sut.lines.at(-1)).toMatch(
      /^FAIL predict\(.*\) returned "{\\"score\\":6}", but selfTest/,
    );
  });

  it.each(['python', 'node', 'r'])('reports what a %s init raised', async (runtime) => {
    const dir = path.join(root, 'm');
    await sut.run('init', dir, '--runtime', runtime, '--name', 'demo');
    await rm(path.join(dir, 'coefficients', 'weights.json'));
    await writeFile(path.join(dir, 'coefficients', 'other.json'), '{}');
    await expect(sut.run('test', dir)).rejects.toThrow('self-test failed');
    const fail = sut.lines.find((line) => line.startsWith('FAIL'));
    expect(fail).toMatch(/^FAIL init raised (FileNotFoundError|Error): .*weights\.json/);
  });

  it('runs init alone when the manifest has no selfTest', async () => {
    const dir = path.join(root, 'm');
    await sut.run('init', dir, '--runtime', 'python', '--name', 'demo');
    const manifest = path.join(dir, 'ml-run.yaml');
    const text = await readFile(manifest, 'utf8');
    await writeFile(manifest, text.replace(/^selfTest:.*\n( {2}.*\n)+/m, ''));
    await sut.run('test', dir);
    expect(sut.lines.at(-1)).toBe('PASS init ran (no selfTest in ml-run.yaml to predict)');
  });

  it('says which interpreter it could not run', async () => {
    const dir = path.join(root, 'm');
    await sut.run('init', dir, '--runtime', 'python', '--name', 'demo');
    const noPython = cliHarness({ dataDir: root, python: path.join(root, 'no-python') });
    await expect(noPython.run('test', dir)).rejects.toThrow(
      /cannot run .*no-python \(ENOENT\): set MLRUN_PYTHON/,
    );
  });

  it('refuses a folder that is not empty', async () => {
    await writeFile(path.join(root, 'notes.txt'), 'mine');
    await expect(initModel(root, 'python', 'demo')).rejects.toThrow(/is not empty/);
    expect(await readFile(path.join(root, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('asks for --name when the folder name cannot be one', async () => {
    await expect(initModel(path.join(root, '123'), 'node')).rejects.toThrow(/pass --name/);
    await expect(initModel(path.join(root, 'x'), 'node', 'Bad_Name')).rejects.toThrow(
      /pass --name/,
    );
  });

  it('requires --runtime', async () => {
    await expect(sut.run('init', path.join(root, 'm'))).rejects.toThrow(/--runtime/);
  });
});

describe(nameFromFolder.name, () => {
  it('turns a folder name into a DNS label', () => {
    expect(nameFromFolder('/tmp/Iris Classifier_v2/')).toBe('iris-classifier-v2');
    expect(nameFromFolder('/tmp/42')).toBeUndefined();
  });
});
