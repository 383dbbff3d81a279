import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { SpawnCommandRunner } from '@ml-run/builder-image-build';
import { EXAMPLES, exampleZip } from '@ml-run/builder-image-build/testing';
import type { BuildRecord } from '@ml-run/registry-contract';

import { read, uploadBuilt } from '../../testing/builder-requests';
import { startTestBuilder, type TestBuilder } from '../../testing/start-test-builder';

// Real pip and npm against PyPI and the npm registry, through a builder whose runner drops
// to an unprivileged account (`nobody` stands in for mlrun-model) when the test runs as root.
const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

const IRIS_MANIFEST = 'name: iris\nruntime: python\nentry: model.py\ncodeVersion: 1.0.0\n';

describe('dependency installs through the builder (real pip and npm)', () => {
  let sut: TestBuilder;
  let markerDir: string;

  beforeAll(async () => {
    markerDir = await mkdtemp(path.join(os.tmpdir(), 'marker-'));
    // Anyone may write here: a marker that stays missing was not refused by permissions.
    await chmod(markerDir, 0o777);
    const runsAs = process.getuid?.() === 0 ? { user: 'nobody' } : {};
    sut = await startTestBuilder({ commands: new SpawnCommandRunner(runsAs) });
  });
  afterAll(async () => {
    await sut.close();
    await rm(markerDir, { recursive: true, force: true });
  });

  const build = async (zip: Buffer) => {
    const { buildId, version } = await uploadBuilt(sut, zip);
    const record = (await read(sut, `/v1/builds/${buildId}`)).json() as BuildRecord;
    return { record, version };
  };

  it("never runs a bundle's preinstall script, and still installs its dependencies", async () => {
    const marker = path.join(markerDir, 'preinstall-ran');
    const packageJson = JSON.stringify({
      name: 'echo-model',
      version: '1.0.0',
      scripts: { preinstall: `node -e "require('fs').writeFileSync('${marker}', 'ran')"` },
      dependencies: { 'left-pad': '1.3.0' },
    });
    // Positive control: the install as builds ran it before writes the marker.
    const project = await mkdtemp(path.join(os.tmpdir(), 'npm-control-'));
    try {
      await writeFile(path.join(project, 'package.json'), packageJson);
      await promisify(execFile)('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], {
        cwd: project,
        timeout: 120_000,
      });
      expect(await exists(marker)).toBe(true);
      await rm(marker);
    } finally {
      await rm(project, { recursive: true, force: true });
    }

    const { record, version } = await build(
      await exampleZip(EXAMPLES.echo, { 'package.json': packageJson }),
    );
    expect(record).toMatchObject({ state: 'succeeded' });
    expect(record.log[0]).toMatch(/^\$ npm install .*--ignore-scripts/);
    expect(await exists(marker)).toBe(false);
    const installed = path.join(
      sut.dataDir,
      'models/echo',
      version,
      'bundle/node_modules/left-pad/package.json',
    );
    expect((await stat(installed)).uid).toBe(process.getuid?.());
  }, 180_000);

  it('installs python requirements from wheels', async () => {
    const { record, version } = await build(
      await exampleZip(EXAMPLES.iris, { 'requirements.txt': 'six==1.16.0\n' }),
    );
    expect(record).toMatchObject({ state: 'succeeded' });
    expect(record.log[0]).toMatch(/--only-binary=:all:/);
    const deps = path.join(sut.dataDir, 'models/iris', version, 'bundle/.mlrun-deps');
    expect(await readdir(deps)).toContain('six.py');
  }, 180_000);

  it('fails a requirement that has only an sdist, saying how to allow source builds', async () => {
    // Positive control: without wheels-only, pip runs the sdist's setup code.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pip-control-'));
    try {
      const args = ['-m', 'pip', 'download', '--no-deps', '--no-build-isolation', '-d', dir];
      const output = await promisify(execFile)('python3', [...args, 'docopt==0.6.2'], {
        timeout: 120_000,
      }).then(
        ({ stdout, stderr }) => stdout + stderr,
        (error: { stdout?: string; stderr?: string }) => `${error.stdout}${error.stderr}`,
      );
      expect(output).toMatch(/running (dist_info|egg_info)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const { record } = await build(
      await exampleZip(EXAMPLES.iris, {
        'ml-run.yaml': IRIS_MANIFEST.replace('codeVersion: 1.0.0', 'codeVersion: 1.0.1'),
        'requirements.txt': 'docopt==0.6.2\n',
      }),
    );
    expect(record).toMatchObject({
      state: 'failed',
      error: {
        message: expect.stringMatching(
          /builds install wheels only.*sourceBuilds: true.*MLRUN_ALLOW_SOURCE_BUILDS=true/,
        ),
      },
    });
    expect(record.log.join('\n')).toMatch(/No matching distribution found for docopt==0\.6\.2/);
  }, 180_000);
});
