import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { ContractError } from './lib/contract.errors';
import { readModelDir } from './lib/version/read-model-dir';
import { MODEL_DIR_FIXTURE } from './testing/test-vectors';

// The TypeScript and Python contracts must derive the same version from the same folder
// (or refuse it with the same code). Runs over every examples/*/ml-run.yaml and the fixture.
const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
const PYTHON_DIR = join(__dirname, '..', 'python');
const EXAMPLES_DIR = join(REPO_ROOT, 'examples');

function modelDirs(): string[] {
  const examples = existsSync(EXAMPLES_DIR)
    ? readdirSync(EXAMPLES_DIR)
        .map((name) => join(EXAMPLES_DIR, name))
        .filter((dir) => existsSync(join(dir, 'ml-run.yaml')))
    : [];
  return [MODEL_DIR_FIXTURE, ...examples];
}

function python(args: string[]) {
  return spawnSync('python3', args, { cwd: PYTHON_DIR, encoding: 'utf8' });
}

async function typescriptOutcome(dir: string): Promise<string> {
  try {
    return (await readModelDir(dir)).version;
  } catch (err) {
    if (err instanceof ContractError) return `error ${err.code}`;
    throw err;
  }
}

function pythonOutcome(dir: string): string {
  const result = python(['-m', 'mlrun_model', 'version', dir]);
  if (result.status === 0) return result.stdout.trim();
  const code = /^([A-Z_]+): /.exec(result.stderr)?.[1];
  if (result.status === 2 && code !== undefined) return `error ${code}`;
  throw new Error(`python3 -m mlrun_model failed (${result.status}): ${result.stderr}`);
}

const pythonReady = python(['-c', 'import yaml']).status === 0;
const itWithPython = pythonReady ? it.each : it.skip.each;

describe('cross-language model version', () => {
  it('finds the fixture model folder', () => {
    expect(modelDirs()).toContain(MODEL_DIR_FIXTURE);
  });

  if (!pythonReady) it.skip('needs python3 with PyYAML (pip install pyyaml)', () => undefined);

  itWithPython(modelDirs().map((dir) => [dir.slice(REPO_ROOT.length + 1), dir]))(
    'python3 -m mlrun_model version agrees with readModelDir for %s',
    async (_name, dir) => {
      expect(pythonOutcome(dir)).toBe(await typescriptOutcome(dir));
    },
  );
});
