import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { REPO_ROOT, startAuthPlane, type AuthPlane } from '@ml-run/process-testing';

const run = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'dist/apps/cli/main.js');

// The ml-run session a newcomer types, against a running embedded platform.
describe('ml-run CLI against embedded mode', () => {
  let plane: AuthPlane;
  let env: Record<string, string>;

  const mlRun = (...args: string[]) =>
    run(process.execPath, [CLI, ...args], { env, timeout: 60_000 });

  beforeAll(async () => {
    plane = await startAuthPlane();
    env = {
      ...(process.env as Record<string, string>),
      MLRUN_URL: plane.builderUrl,
      MLRUN_ROUTER_URL: plane.routerUrl,
      MLRUN_AUTH_URL: plane.issuerUrl,
      MLRUN_DATA_DIR: await mkdtemp(path.join(tmpdir(), 'mlrun-cli-')),
      MLRUN_PASSWORD: plane.adminPassword,
    };
  });
  afterAll(() => plane?.stop());

  it('logs in, scaffolds, tests, pushes with --deploy and predicts', async () => {
    await mlRun('login', '-u', 'admin');
    const modelDir = path.join(env['MLRUN_DATA_DIR'] ?? '', 'greeter');
    await mlRun('init', modelDir, '--runtime', 'python');
    expect((await mlRun('test', modelDir)).stdout).toContain('PASS');
    const push = await mlRun('push', modelDir, '--deploy', '--replicas', '1');
    expect(push.stdout).toMatch(/alias stable points at \d+\.\d+\.\d+\+[0-9a-f]{12}/);
    const models = await mlRun('models');
    expect(models.stdout).toContain('greeter');
  });

  it('predicts iris through the router after pushing the example', async () => {
    await mlRun(
      'push',
      path.join(REPO_ROOT, 'examples/iris-python'),
      '--deploy',
      '--replicas',
      '1',
    );
    const { stdout } = await mlRun('predict', 'iris', '{"features":[6.3,3.3,6.0,2.5]}');
    expect(JSON.parse(stdout)).toMatchObject({ class: 'virginica' });
  });

  it('predicts asynchronously: --async prints an id, prediction --wait its output', async () => {
    const input = '{"features":[6.3,3.3,6.0,2.5]}';
    const waited = await mlRun('predict', 'iris', '--async', '--wait', input);
    expect(JSON.parse(waited.stdout)).toMatchObject({ class: 'virginica' });
    const id = (await mlRun('predict', 'iris', '--async', input)).stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const { stdout } = await mlRun('prediction', id, '--wait');
    expect(JSON.parse(stdout)).toMatchObject({ class: 'virginica' });
  });

  it('fails with a non-zero exit and a clear message once logged out', async () => {
    await mlRun('logout');
    await expect(mlRun('models')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('not logged in'),
    });
  });
});
