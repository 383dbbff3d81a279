import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { manifestVectors } from '../../testing/test-vectors';
import { ContractError, ContractErrorCode } from '../contract.errors';
import { parseManifest, readManifestFile, validateManifest } from './parse-manifest';

function thrown(fn: () => unknown): ContractError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ContractError) return err;
    throw err;
  }
  throw new Error('expected a ContractError');
}

describe(parseManifest.name, () => {
  const vectors = manifestVectors();

  it('has at least 25 shared vectors', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(25);
  });

  it.each(vectors.filter((v) => v.valid).map((v) => [v.name, v] as const))(
    'accepts: %s',
    (_name, vector) => {
      expect(parseManifest(vector.yaml)).toEqual(vector.normalized);
    },
  );

  it.each(vectors.filter((v) => !v.valid).map((v) => [v.name, v] as const))(
    'rejects: %s',
    (_name, vector) => {
      const error = thrown(() => parseManifest(vector.yaml));
      expect(error.code).toBe(vector.code);
      if (vector.message !== undefined) expect(error.message).toBe(vector.message);
      if (vector.details !== undefined) expect(error.details).toEqual(vector.details);
    },
  );

  it('names the first offending field and what to fix', () => {
    const error = thrown(() =>
      parseManifest('name: Iris_1\nruntime: python\nentry: model.py\ncodeVersion: 1.0.0\n'),
    );
    expect(error.message).toBe(
      'ml-run.yaml: "name" must be a DNS label ([a-z0-9-], 1..63 chars, starting with a letter), got "Iris_1"',
    );
  });

  it('reports the YAML problem with its position', () => {
    const error = thrown(() => parseManifest('name: iris\n  runtime: python\n'));
    expect(error.code).toBe(ContractErrorCode.ManifestYamlInvalid);
    expect(error.message).toMatch(
      /^ml-run\.yaml is not valid YAML: .* at line \d+, column \d+; fix/,
    );
  });
});

describe(validateManifest.name, () => {
  it('applies the defaults to an object', () => {
    const sut = validateManifest({
      name: 'echo',
      runtime: 'node',
      entry: 'index.js',
      codeVersion: '0.1.0',
      env: { N: 3 },
    });
    expect(sut).toEqual({
      name: 'echo',
      runtime: 'node',
      entry: 'index.js',
      codeVersion: '0.1.0',
      coefficients: { path: 'coefficients/' },
      resources: { cpu: '500m', memory: '512Mi', gpu: 0 },
      replicas: 1,
      initTimeoutSeconds: 120,
      env: { N: '3' },
    });
  });

  it('lists every problem in details', () => {
    const error = thrown(() => validateManifest({ name: 'x', runtime: 'go' }));
    expect(error.details?.map((d) => d.path)).toEqual(['runtime', 'entry', 'codeVersion']);
    expect(error.message).toMatch(/\(and 2 more problems\)$/);
  });
});

describe(readManifestFile.name, () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'manifest-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads and validates ml-run.yaml', async () => {
    await writeFile(
      join(dir, 'ml-run.yaml'),
      'name: iris\nruntime: python\nentry: model.py\ncodeVersion: 1.2.0\n',
    );
    await expect(readManifestFile(dir)).resolves.toMatchObject({ name: 'iris', replicas: 1 });
  });

  it('throws MANIFEST_MISSING when the folder has no ml-run.yaml', async () => {
    await expect(readManifestFile(dir)).rejects.toMatchObject({
      code: ContractErrorCode.ManifestMissing,
      message: expect.stringContaining('add one at the root'),
    });
  });
});
